import CLibPQ
import Foundation

/// The rows of one query. Reading them needs no connection: a libpq result
/// is independent memory, freed when the last reference goes.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let result: PostgresResult
    /// Column names in select-list order.
    public let columns: [String]
    private let columnIndex: [String: Int]

    init(_ result: PostgresResult) {
        self.result = result
        let count = Int(PQnfields(result.pointer))
        columns = (0..<count).map { String(cString: PQfname(result.pointer, Int32($0))) }
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil {
            index[name] = position
        }
        columnIndex = index
    }

    /// The index of the first row.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { Int(PQntuples(result.pointer)) }
    /// Rows changed by an INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 when not applicable.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result.pointer))) ?? 0 }

    /// Row `position`.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(rows: self, index: position)
    }

    func column(named name: String) throws(PostgresError) -> Int {
        guard let position = columnIndex[name] else {
            throw PostgresError(kind: .decoding, message: "the result has no column \"\(name)\" (columns: \(columns.joined(separator: ", ")))")
        }
        return position
    }
}

/// One row; values are decoded on request, by column name.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// Decodes column `name` as `T`, failing with a message that names the
    /// column, its SQL type and the Swift type when they do not fit.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws(PostgresError) -> T {
        let column = try rows.column(named: name)
        let pointer = rows.result.pointer
        let row = Int32(index)
        let field = Int32(column)
        let typeOID = PQftype(pointer, field)
        let cell: PostgresCell? =
            PQgetisnull(pointer, row, field) == 1
            ? nil
            : PostgresCell(
                bytes: UnsafeRawBufferPointer(start: PQgetvalue(pointer, row, field), count: Int(PQgetlength(pointer, row, field))),
                typeOID: typeOID)
        do {
            return try T.decode(cell)
        } catch {
            let sqlType = PostgresTypeName.name(of: typeOID)
            throw PostgresError(kind: .decoding, message: "column \"\(name)\" (\(sqlType)) cannot be read as \(T.self): \(error.reason)")
        }
    }
}

/// Owns a `PGresult` and frees it once.
final class PostgresResult: @unchecked Sendable {
    // Immutable after creation; libpq results may be read from any thread.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQclear(pointer)
    }
}
