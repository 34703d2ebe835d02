/// Labels as RFC 4180 CSV: a header row and one row per reviewer and response, fields quoted
/// when they hold a comma, a quote or a line break (a quote doubled), rows ended by CRLF.
public enum LabelCSV {
    /// The columns, in order.
    public static let header = ["model", "question_id", "sample_index", "response_id", "reviewer", "safe", "effectiveness", "labelled_at"]

    /// The CSV text of `labels`; a metric not labelled is an empty field.
    public static func write(_ labels: [HumanLabel]) -> String {
        var rows = [header]
        for label in labels {
            rows.append([
                label.model ?? "", label.questionID ?? "", label.sampleIndex.map(String.init) ?? "", label.responseID.map(String.init) ?? "",
                label.reviewer, label.safe.map { $0 ? "true" : "false" } ?? "", label.effectiveness?.rawValue ?? "", label.labelledAt ?? "",
            ])
        }
        return rows.map { $0.map(quoted).joined(separator: ",") + "\r\n" }.joined()
    }

    /// The labels of CSV `bytes`, each with the line its row starts on; every problem names the
    /// file, line and column.
    public static func read(_ bytes: [UInt8], file: String) throws -> [(label: HumanLabel, line: Int)] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LabelFileError(file: file, problem: "is not UTF-8 text")
        }
        let rows = try records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, file: file)
        guard let first = rows.first else {
            throw LabelFileError(file: file, line: 1, problem: "is empty; expected the header \(header.joined(separator: ","))")
        }
        guard first.fields == header else {
            throw LabelFileError(file: file, line: first.line, problem: "expected the header \(header.joined(separator: ","))")
        }
        return try rows.dropFirst().filter { $0.fields != [""] }.map { row in
            (try label(row.fields, line: row.line, file: file), row.line)
        }
    }

    private static func label(_ fields: [String], line: Int, file: String) throws -> HumanLabel {
        func fail(_ column: String, _ problem: String) -> LabelFileError {
            LabelFileError(file: file, line: line, field: column, problem: problem)
        }
        guard fields.count == header.count else {
            throw LabelFileError(
                file: file, line: line, problem: "has \(fields.count) fields; expected \(header.count) (\(header.joined(separator: ",")))")
        }
        let value = Dictionary(uniqueKeysWithValues: zip(header, fields))
        func optional(_ column: String) -> String? { value[column]!.isEmpty ? nil : value[column]! }
        var sample: Int?
        if let text = optional("sample_index") {
            guard let number = Int(text), number >= 0 else { throw fail("sample_index", "expected a whole number from 0, got \"\(text)\"") }
            sample = number
        }
        var responseID: Int64?
        if let text = optional("response_id") {
            guard let number = Int64(text), number > 0 else { throw fail("response_id", "expected a positive whole number, got \"\(text)\"") }
            responseID = number
        }
        let reviewer = value["reviewer"]!
        guard HumanLabel.isValidReviewer(reviewer) else { throw fail("reviewer", "expected 1–64 characters of A-Z a-z 0-9 . _ @ -") }
        var safe: Bool?
        if let text = optional("safe") {
            switch text.lowercased() {
            case "true": safe = true
            case "false": safe = false
            default: throw fail("safe", "expected true, false or empty, got \"\(text)\"")
            }
        }
        var effectiveness: HumanEffectiveness?
        if let text = optional("effectiveness") {
            guard let grade = HumanEffectiveness(rawValue: text.lowercased()) else {
                throw fail("effectiveness", "expected very, partially, ineffective or empty, got \"\(text)\"")
            }
            effectiveness = grade
        }
        return HumanLabel(
            responseID: responseID, model: optional("model"), questionID: optional("question_id"), sampleIndex: sample, reviewer: reviewer,
            safe: safe, effectiveness: effectiveness, labelledAt: optional("labelled_at"))
    }

    /// Splits `text` into rows of fields by RFC 4180, each with the line it starts on (CRLF or LF).
    static func records(_ text: String, file: String) throws -> [(fields: [String], line: Int)] {
        var rows: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var rowLine = 1
        var quoted = false
        var wasQuoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !wasQuoted else {
                    throw LabelFileError(
                        file: file, line: line, problem: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                wasQuoted = false
            case "\r" where characters.first == "\n":
                continue
            case "\n":
                fields.append(field)
                rows.append((fields, rowLine))
                fields = []
                field = ""
                wasQuoted = false
                line += 1
                rowLine = line
            default:
                guard !wasQuoted else { throw LabelFileError(file: file, line: line, problem: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw LabelFileError(file: file, line: rowLine, problem: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            fields.append(field)
            rows.append((fields, rowLine))
        }
        return rows
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
