import Shared

/// An enum stored as its raw text. Reading a value the enum does not know
/// (a newer build wrote it, or the row was edited by hand) fails loudly,
/// naming the column and the value, instead of guessing a case.
protocol PostgresTextEnum: PostgresNonNullDecodable, RawRepresentable<String>, CaseIterable {}

extension PostgresTextEnum {
    static var acceptedTypes: Set<UInt32> { PostgresTypeName.textual }

    static func decodeValue(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Self {
        guard let value = Self(rawValue: cell.text) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            throw PostgresDecodingFailure(reason: "\"\(cell.text)\" is not a known \(Self.self) (expected one of \(known))")
        }
        return value
    }
}

extension JobKind: PostgresTextEnum {}
extension JobState: PostgresTextEnum {}
extension ResponseOutcome: PostgresTextEnum {}
extension Provider: PostgresTextEnum {}
extension SweepState: PostgresTextEnum {}
extension BatchState: PostgresTextEnum {}
