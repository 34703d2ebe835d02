import Foundation
import Yams

/// A YAML mapping whose keys were checked against the known ones; explicit nulls read as absent.
struct YAMLFields {
    /// Where the mapping sits, e.g. `models[1]`; empty at the top level.
    let path: String
    /// The mapping's own line, for problems about fields it lacks.
    let line: Int?
    let values: [String: Node]

    subscript(key: String) -> Node? {
        values[key].flatMap { $0.resolvedTag == .null ? nil : $0 }
    }

    func path(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}

fileprivate extension Node {
    /// The tag YAML resolved for the node (`Tag.name` is not public in Yams).
    var resolvedTag: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}

/// Limits a number field must respect.
enum NumberRule {
    case any, positive, atLeastOne, nonNegative, temperature, batchDiscount

    func problem(_ value: Double) -> String? {
        switch self {
        case .any: nil
        case .positive: value > 0 ? nil : "must be greater than 0"
        case .atLeastOne: value >= 1 ? nil : "must be at least 1"
        case .nonNegative: value >= 0 ? nil : "must not be negative"
        case .temperature: (0...2).contains(value) ? nil : "must be between 0 and 2"
        case .batchDiscount: Price.batchDiscountProblem(value)
        }
    }
}

/// Reads a composed YAML tree field by field. It collects problems instead of throwing,
/// so one pass reports everything wrong, and it keeps each node's line for the report.
final class YAMLReader {
    let file: String
    private(set) var problems: [SweepProblem] = []

    init(file: String) {
        self.file = file
    }

    /// YAML's `"\0"` escape makes a NUL, which PostgreSQL text cannot hold.
    static let nulMessage = "must not contain NUL characters"

    /// Records a problem once: a top-level value several entries take is reported at its own line only once.
    func report(line: Int?, _ field: String, _ message: String) {
        let problem = SweepProblem(file: file, line: line, field: field, message: message)
        if !problems.contains(problem) { problems.append(problem) }
    }

    func report(_ node: Node, _ field: String, _ message: String) {
        report(line: node.mark?.line, field, message)
    }

    /// The mapping at `path` with unknown keys reported; `nil` when `node` is not a mapping.
    func fields(_ node: Node, at path: String, known: [String]) -> YAMLFields? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "must be a mapping")
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key, path, "field names must be plain words")
                continue
            }
            if known.contains(scalar.string) {
                values[scalar.string] = value
            } else {
                let hint = YAMLReader.suggestion(for: scalar.string, among: known).map { "; did you mean `\($0)`?" }
                report(
                    key, path.isEmpty ? scalar.string : "\(path).\(scalar.string)",
                    "unknown field" + (hint ?? " (known: \(known.joined(separator: ", ")))"))
            }
        }
        return YAMLFields(path: path, line: node.mark?.line, values: values)
    }

    /// Any scalar's text; `nonEmpty` also refuses blank text.
    func string(_ fields: YAMLFields, _ key: String, required: Bool = false, nonEmpty: Bool = false) -> String? {
        guard let node = fields[key] else {
            if required { report(line: fields.line, fields.path(key), "is required") }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            report(node, fields.path(key), "must be a string")
            return nil
        }
        if scalar.string.unicodeScalars.contains("\u{0}") {
            report(node, fields.path(key), YAMLReader.nulMessage)
            return nil
        }
        if nonEmpty && scalar.string.allSatisfy(\.isWhitespace) {
            report(node, fields.path(key), "must not be empty")
            return nil
        }
        return scalar.string
    }

    /// A required name that follows `ResourceName`'s rule.
    func resourceName(_ fields: YAMLFields, _ key: String) -> String? {
        guard let name = string(fields, key, required: true) else { return nil }
        if let problem = ResourceName.problem(with: name) {
            report(fields[key]!, fields.path(key), "\"\(name)\" \(problem)")
            return nil
        }
        return name
    }

    func int(_ fields: YAMLFields, _ key: String, _ rule: NumberRule = .any) -> Int? {
        guard let node = fields[key] else { return nil }
        guard let value = node.int else {
            report(node, fields.path(key), "must be an integer")
            return nil
        }
        return check(Double(value), rule, node, fields.path(key)) ? value : nil
    }

    func double(_ fields: YAMLFields, _ key: String, _ rule: NumberRule = .any) -> Double? {
        guard let node = fields[key] else { return nil }
        guard let value = node.float, value.isFinite else {
            report(node, fields.path(key), "must be a number")
            return nil
        }
        return check(value, rule, node, fields.path(key)) ? value : nil
    }

    private func check(_ value: Double, _ rule: NumberRule, _ node: Node, _ field: String) -> Bool {
        guard let problem = rule.problem(value) else { return true }
        report(node, field, problem)
        return false
    }

    /// A byte count: an integer, or a size with a unit (`200MB`, `20MiB`; `ByteSize`).
    func byteCount(_ fields: YAMLFields, _ key: String) -> Int? {
        guard let node = fields[key] else { return nil }
        if let value = node.int { return value }
        if let value = node.float, value.isFinite, value.rounded() == value, abs(value) < 9e18 { return Int(value) }
        guard case .scalar(let scalar) = node, node.float == nil, let value = ByteSize.parse(scalar.string) else {
            report(node, fields.path(key), "must be a byte count: an integer, or a size like 200MB or 20MiB")
            return nil
        }
        return value
    }

    /// A duration in seconds: a number, or a number with units (`90s`, `15m`, `24h`; `DurationText`).
    func duration(_ fields: YAMLFields, _ key: String) -> Double? {
        guard let node = fields[key] else { return nil }
        if let value = node.float, value.isFinite { return value }
        guard case .scalar(let scalar) = node, let value = DurationText.parseSeconds(scalar.string) else {
            report(node, fields.path(key), "must be a duration: seconds (90) or a number with a unit (90s, 15m, 24h)")
            return nil
        }
        return value
    }

    /// Only what YAML itself resolves as a boolean, so a quoted "true" is refused rather than guessed.
    func bool(_ fields: YAMLFields, _ key: String) -> Bool? {
        guard let node = fields[key] else { return nil }
        guard let value = node.bool else {
            report(node, fields.path(key), "must be true or false")
            return nil
        }
        return value
    }

    func list(_ fields: YAMLFields, _ key: String, required: Bool = false) -> [Node]? {
        guard let node = fields[key] else {
            if required { report(line: fields.line, fields.path(key), "is required") }
            return nil
        }
        guard case .sequence(let sequence) = node else {
            report(node, fields.path(key), "must be a list")
            return nil
        }
        return Array(sequence)
    }
}

extension YAMLReader {
    /// Pass-through parameters, converted by the type YAML resolved: `1` stays an integer, `1.0` a number.
    func json(_ node: Node, at path: String) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch node.resolvedTag {
            case .null: return .null
            case .bool: if let value = node.bool { return .bool(value) }
            case .int: if let value = node.int { return .int(Int64(value)) }
            case .float:
                guard let value = node.float, value.isFinite else {
                    report(node, path, "must be a finite number (JSON has no NaN or infinity)")
                    return nil
                }
                return .double(value)
            default: break
            }
            if scalar.string.unicodeScalars.contains("\u{0}") {
                report(node, path, YAMLReader.nulMessage)
                return nil
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            let elements = sequence.enumerated().map { json($1, at: "\(path)[\($0)]") }
            return elements.contains { $0 == nil } ? nil : .array(elements.compactMap { $0 })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            var valid = true
            for (key, value) in mapping {
                guard case .scalar(let name) = key, let member = json(value, at: "\(path).\(name.string)") else {
                    if case .scalar = key {} else { report(key, path, "keys must be plain strings") }
                    valid = false
                    continue
                }
                members[name.string] = member
            }
            return valid ? .object(members) : nil
        case .alias:
            report(node, path, "aliases are not supported here")
            return nil
        }
    }

    /// Yams' syntax error as one problem at its line (and column, in the message).
    func syntaxProblem(_ error: any Error, text: String) -> SweepProblem {
        let located: (problem: String, place: (line: Int, column: Int)?) =
            switch error as? YamlError {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                (problem, (mark.line, mark.column))
            case .duplicatedKeysInMapping(let keys, let context):
                ("duplicate key \(keys.map { "`\($0)`" }.joined(separator: ", "))", (context.mark.line, context.mark.column))
            case .reader(let problem, let offset, _, _): (problem, offset.map { Self.place(ofCharacter: $0, in: text) })
            default: ("\(error)", nil)
            }
        let column = located.place.map { " (column \($0.column))" } ?? ""
        return SweepProblem(file: file, line: located.place?.line, message: "malformed YAML\(column): \(located.problem)")
    }

    /// Reader errors (bad encoding) give a character offset, not a line.
    private static func place(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        let prefix = text.prefix(offset)
        return (prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }, prefix.reversed().prefix { $0 != "\n" }.count + 1)
    }

    /// The known field within two edits (a swap counts as one) of a misspelt `name`, if any.
    static func suggestion(for name: String, among known: [String]) -> String? {
        let scored = known.map { ($0, editDistance(Array(name), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, the usual typo.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
