import Foundation
import Shared

/// A non-NULL value in text format, as the server sent it.
public struct PostgresCell {
    /// The value's text (or, for `bytea`, its hex escape form).
    public var bytes: UnsafeRawBufferPointer
    /// The column's type OID.
    public var typeOID: UInt32

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Why a value could not be decoded; wrapped into a `PostgresError` naming the column.
public struct PostgresDecodingFailure: Error {
    /// What did not fit.
    public var reason: String
}

/// A Swift type that can be read from a result column.
public protocol PostgresDecodable {
    /// Builds the value from `cell`, which is `nil` for SQL NULL.
    static func decode(_ cell: PostgresCell?) throws(PostgresDecodingFailure) -> Self
}

/// Types that never accept NULL share the "is NULL" check and the type check.
protocol PostgresNonNullDecodable: PostgresDecodable {
    static var acceptedTypes: Set<UInt32> { get }
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Self
}

extension PostgresNonNullDecodable {
    /// Refuses NULL and columns of another SQL type, then decodes.
    public static func decode(_ cell: PostgresCell?) throws(PostgresDecodingFailure) -> Self {
        guard let cell else { throw PostgresDecodingFailure(reason: "the value is NULL (decode an Optional)") }
        guard acceptedTypes.contains(cell.typeOID) else {
            throw PostgresDecodingFailure(reason: "the SQL type does not convert to it")
        }
        return try decodeValue(cell)
    }
}

extension String: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = PostgresTypeName.textual
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> String { cell.text }
}

extension Int: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = PostgresTypeName.integers
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Int {
        Int(try Int64.decodeValue(cell))
    }
}

extension Int64: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = PostgresTypeName.integers
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Int64 {
        guard let value = integer(cell.bytes) else { throw PostgresDecodingFailure(reason: "\"\(cell.text)\" is not an integer") }
        return value
    }

    /// The integer PostgreSQL wrote (`-` and digits), read from its bytes without making a string.
    private static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let negative = bytes.first == UInt8(ascii: "-")
        guard bytes.count > (negative ? 1 : 0) else { return nil }
        var value: Int64 = 0
        for byte in bytes.dropFirst(negative ? 1 : 0) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            // Accumulated negatively, so Int64.min reads too.
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowedAgain) = times.subtractingReportingOverflow(digit)
            guard !overflowed, !overflowedAgain else { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }
}

extension Double: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = PostgresTypeName.numbers
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Double {
        guard let value = Double(cell.text) else { throw PostgresDecodingFailure(reason: "\"\(cell.text)\" is not a number") }
        return value
    }
}

extension Bool: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = [PostgresTypeName.bool]
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Bool { cell.text == "t" }
}

extension UUID: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = [PostgresTypeName.uuid]
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> UUID {
        guard let value = UUID(canonicalText: cell.bytes) else { throw PostgresDecodingFailure(reason: "\"\(cell.text)\" is not a UUID") }
        return value
    }
}

extension Date: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = [PostgresTypeName.timestamptz, PostgresTypeName.timestamp]
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Date {
        guard let value = PostgresTimestamp.parse(cell.bytes) else { throw PostgresDecodingFailure(reason: "\"\(cell.text)\" is not a timestamp") }
        return value
    }
}

extension JSONValue: PostgresNonNullDecodable {
    static let acceptedTypes: Set<UInt32> = [PostgresTypeName.json, PostgresTypeName.jsonb]
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(cell.bytes))
        } catch {
            throw PostgresDecodingFailure(reason: "the JSON does not parse")
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {}
extension Array: PostgresNonNullDecodable where Element == UInt8 {
    static var acceptedTypes: Set<UInt32> { [PostgresTypeName.bytea] }
    /// `bytea` arrives in hex escape form: `\x` then two digits a byte.
    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> [UInt8] {
        let text = cell.bytes
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else {
            throw PostgresDecodingFailure(reason: "bytea is not in hex format")
        }
        var bytes = [UInt8](repeating: 0, count: (text.count - 2) / 2)
        for index in bytes.indices {
            guard let high = hexValue(text[2 + 2 * index]), let low = hexValue(text[3 + 2 * index]) else {
                throw PostgresDecodingFailure(reason: "bytea has a non-hex digit")
            }
            bytes[index] = high << 4 | low
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        case 65...70: digit - 55
        default: nil
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// `nil` for NULL, else the wrapped type's decoding.
    public static func decode(_ cell: PostgresCell?) throws(PostgresDecodingFailure) -> Wrapped? {
        guard let cell else { return nil }
        return try Wrapped.decode(cell)
    }
}
