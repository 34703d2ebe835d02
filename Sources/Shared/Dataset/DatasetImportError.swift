/// One thing wrong with a dataset's files, located as precisely as possible.
public struct DatasetProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in.
    public var file: String
    /// The item's `question_id`, when the problem belongs to one item.
    public var questionID: String?
    /// The field at fault, when there is one.
    public var field: String?
    /// What is wrong.
    public var message: String

    /// Creates a problem report.
    public init(file: String, questionID: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.questionID = questionID
        self.field = field
        self.message = message
    }

    /// `file: question_id 1001: field "image": message`.
    public var description: String {
        var place = file
        if let questionID { place += ": question_id \(questionID)" }
        if let field { place += ": field \"\(field)\"" }
        return "\(place): \(message)"
    }
}

/// Why a dataset cannot be imported. Nothing has been written when it is thrown.
public enum DatasetImportError: Error, Sendable, CustomStringConvertible {
    /// A file is not JSON at all.
    case malformedJSON(JSONSyntaxError)
    /// A file or folder could not be read.
    case unreadable(path: String, reason: String)
    /// The files parse but their content is wrong; every problem found is listed.
    case invalid([DatasetProblem])
    /// Image files the cases name are not in the image folder.
    case missingImages(folder: String, names: [String])
    /// The dataset's name breaks the naming rule.
    case badName(String, reason: String)

    /// A message a user can act on, naming files, ids and fields.
    public var description: String {
        switch self {
        case .malformedJSON(let error):
            return error.description
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalid(let problems):
            let shown = problems.prefix(50).map { "  - \($0)" }
            let more = problems.count > 50 ? ["  … and \(problems.count - 50) more"] : []
            let noun = problems.count == 1 ? "problem" : "problems"
            return (["dataset is invalid (\(problems.count) \(noun)):"] + shown + more).joined(separator: "\n")
        case .missingImages(let folder, let names):
            let noun = names.count == 1 ? "image is" : "images are"
            return "\(names.count) \(noun) missing from \(folder): \(names.joined(separator: ", "))"
        case .badName(let name, let reason):
            return "dataset name \"\(name)\" \(reason)"
        }
    }
}
