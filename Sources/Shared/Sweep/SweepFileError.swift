/// One thing wrong with a sweep file, located so an editor can jump to it.
public struct SweepProblem: Sendable, Equatable, CustomStringConvertible {
    /// The sweep file, as the user named it.
    public var file: String
    /// 1-based line of the offending YAML node; `nil` when the problem has no place (an unreadable file).
    public var line: Int?
    /// The field's path, e.g. `models[1].rpm`, `judge.provider`, `categories[2]`; empty for syntax errors.
    public var field: String
    /// What is wrong, phrased to follow the field: "must be greater than 0".
    public var message: String

    /// Creates a problem report.
    public init(file: String, line: Int? = nil, field: String = "", message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `sweep.yaml:12: models[1].rpm: must be greater than 0`.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }
}

/// Why a sweep file was refused. Every problem found is listed, so one edit can fix them all.
public struct SweepFileError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [SweepProblem]

    /// Creates the error; the problems are put in line order, keeping the order of those on one line.
    public init(problems: [SweepProblem]) {
        self.problems = problems.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
    }

    /// The single problem on one line, or a count followed by one indented line per problem.
    public var description: String {
        if problems.count == 1 { return problems[0].description }
        let file = problems.first?.file ?? "sweep file"
        return (["\(file): \(problems.count) problems:"] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
