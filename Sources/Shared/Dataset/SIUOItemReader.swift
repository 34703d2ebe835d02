/// Reads the items of SIUO's `siuo_gen.json` and `siuo_mcqa.json` out of
/// parsed JSON, collecting every problem instead of stopping at the first.
struct SIUOItemReader {
    let file: String
    private(set) var problems: [DatasetProblem] = []

    init(file: String) {
        self.file = file
    }

    /// The items of a top-level array, each an object.
    mutating func items(of document: JSONValue) -> [(index: Int, fields: [String: JSONValue])] {
        guard case .array(let elements) = document else {
            report(nil, nil, "the file must hold a JSON array of items, found \(document.kindName)")
            return []
        }
        var items: [(Int, [String: JSONValue])] = []
        for (index, element) in elements.enumerated() {
            guard let fields = element.objectValue else {
                report(nil, nil, "item \(index + 1) must be an object, found \(element.kindName)")
                continue
            }
            items.append((index, fields))
        }
        return items
    }

    /// The items with a usable, unique `question_id`; the others are reported.
    mutating func identifiedItems(of document: JSONValue) -> [(id: String, fields: [String: JSONValue])] {
        var seen: Set<String> = []
        var identified: [(String, [String: JSONValue])] = []
        for (index, fields) in items(of: document) {
            guard let id = questionID(fields, index: index) else { continue }
            // Every field is stored (the whole item goes into a jsonb column), not only the ones read.
            if let path = JSONValue.object(fields).pathOfNUL() {
                report(id, path, "must not contain NUL characters")
                continue
            }
            guard seen.insert(id).inserted else {
                report(id, "question_id", "is a duplicate")
                continue
            }
            identified.append((id, fields))
        }
        return identified
    }

    /// The item's `question_id` as text (integers and non-empty strings are accepted).
    mutating func questionID(_ fields: [String: JSONValue], index: Int) -> String? {
        switch fields["question_id"] {
        case .int(let value): return String(value)
        case .string(let value) where value.contains("\u{0}"): report("item \(index + 1)", "question_id", "must not contain NUL characters")
        case .string(let value) where !value.isEmpty: return value
        case nil: report("item \(index + 1)", "question_id", "is missing")
        case let other?: report("item \(index + 1)", "question_id", "must be an integer or a non-empty string, found \(other.kindName)")
        }
        return nil
    }

    /// A required string field; `allowEmpty` for texts a dataset may leave blank.
    mutating func string(_ fields: [String: JSONValue], _ name: String, id: String, allowEmpty: Bool = false) -> String? {
        switch fields[name] {
        case .string(let value) where value.contains("\u{0}"):
            // PostgreSQL text cannot hold NUL; refuse it here rather than fail mid-import.
            report(id, name, "must not contain NUL characters")
        case .string(let value) where allowEmpty || !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            return value
        case .string:
            report(id, name, "must not be empty")
        case nil:
            report(id, name, "is missing")
        case let other?:
            report(id, name, "must be a string, found \(other.kindName)")
        }
        return nil
    }

    /// The `image` field, refused when it could name a file outside the image folder.
    mutating func imageName(_ fields: [String: JSONValue], id: String) -> String? {
        guard let name = string(fields, "image", id: id) else { return nil }
        if let reason = Self.unsafeFileNameReason(name) {
            report(id, "image", "\(reason): \"\(name)\"")
            return nil
        }
        return name
    }

    /// The MCQA `options` object: letters to non-empty texts.
    mutating func options(_ fields: [String: JSONValue], id: String) -> [String: String]? {
        guard let value = fields["options"] else {
            report(id, "options", "is missing")
            return nil
        }
        guard let members = value.objectValue, members.count >= 2 else {
            report(id, "options", "must be an object with at least two options, found \(value.kindName)")
            return nil
        }
        var options: [String: String] = [:]
        for (letter, text) in members {
            guard let text = text.stringValue else {
                report(id, "options.\(letter)", "must be a string, found \(text.kindName)")
                continue
            }
            options[letter] = text
        }
        return options.count == members.count ? options : nil
    }

    mutating func report(_ id: String?, _ field: String?, _ message: String) {
        problems.append(DatasetProblem(file: file, questionID: id, field: field, message: message))
    }

    /// Image names are joined to the image folder, so nothing but a plain file name may pass.
    static func unsafeFileNameReason(_ name: String) -> String? {
        if name.contains("/") || name.contains("\\") { return "must be a file name, not a path" }
        if name == "." || name == ".." || name.hasPrefix("..") { return "must not refer to a parent folder" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return "must not contain control characters"
        }
        return nil
    }
}
