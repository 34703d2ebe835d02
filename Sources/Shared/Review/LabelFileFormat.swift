/// The formats of `siuo labels export|import` (docs/operations.md, "Human labels").
public enum LabelFileFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with the header `LabelCSV.header`.
    case csv
    /// `{"labels": [...]}`, the body of `GET|PUT /v1/sweeps/{name}/labels`.
    case json

    /// The format a file's extension names (`.csv`, `.json`), or `nil`.
    public init?(fileExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// `labels` as the file's bytes.
    public func encode(_ labels: [HumanLabel]) throws -> [UInt8] {
        switch self {
        case .csv: Array(LabelCSV.write(labels).utf8)
        case .json: Array(try LabelJSON.write(labels))
        }
    }

    /// The labels in `bytes`, read from `file` (named in errors), each with the line it starts on.
    public func decode(_ bytes: [UInt8], file: String) throws -> [(label: HumanLabel, line: Int?)] {
        switch self {
        case .csv: try LabelCSV.read(bytes, file: file).map { ($0.label, $0.line) }
        case .json: try LabelJSON.read(bytes, file: file).map { ($0, nil) }
        }
    }
}

/// Why a labels file cannot be read: where, and what is wrong. Nothing was written.
public struct LabelFileError: Error, CustomStringConvertible, Equatable {
    /// The file as named on the command line.
    public var file: String
    /// The line, from 1, when known.
    public var line: Int?
    /// The field (a CSV column or a JSON path), when known.
    public var field: String?
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, field: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// `FILE:LINE: FIELD: problem`, leaving out what is not known.
    public var description: String {
        file + (line.map { ":\($0)" } ?? "") + ": " + (field.map { "\($0): " } ?? "") + problem
    }
}
