import Foundation

/// Labels as JSON: `{"labels": [...]}`, the body of `GET|PUT /v1/sweeps/{name}/labels`.
public enum LabelJSON {
    /// The JSON of `labels`, one label per line, keys sorted.
    public static func write(_ labels: [HumanLabel]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(HumanLabels(labels: labels))
    }

    /// The labels of JSON `bytes`; a problem names the file and the path of the field at fault.
    public static func read(_ bytes: [UInt8], file: String) throws -> [HumanLabel] {
        do {
            return try JSONDecoder().decode(HumanLabels.self, from: Data(bytes)).labels
        } catch let error as DecodingError {
            throw Self.error(error, file: file)
        }
    }

    private static func error(_ error: DecodingError, file: String) -> LabelFileError {
        func path(_ keys: [any CodingKey]) -> String? {
            guard !keys.isEmpty else { return nil }
            return keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return LabelFileError(
                file: file, field: field,
                problem: field == nil ? "expected an object of the form {\"labels\": [...]}" : "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return LabelFileError(file: file, field: path(context.codingPath), problem: "expected \(Self.describe(type)), got null")
        case .keyNotFound(let key, let context):
            return LabelFileError(file: file, field: path(context.codingPath + [key]), problem: "is required")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return LabelFileError(
                file: file, field: field,
                problem: field == nil ? "is not valid JSON of the form {\"labels\": [...]}" : "is not a valid value (\(context.debugDescription))")
        @unknown default:
            return LabelFileError(file: file, problem: "cannot be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is [HumanLabel].Type, is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
