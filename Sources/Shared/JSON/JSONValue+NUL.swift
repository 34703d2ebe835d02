/// PostgreSQL's `text` and `jsonb` cannot hold NUL, and libpq sends text
/// parameters as C strings, so a NUL would silently cut a value short (or
/// break an array literal). Input is refused before it reaches a query.
extension JSONValue {
    /// The path (`items[0].samples[1].text`) of the first string or key
    /// holding a NUL character, or `nil` when there is none.
    public func pathOfNUL(at path: String = "") -> String? {
        switch self {
        case .string(let text):
            return text.unicodeScalars.contains("\u{0}") ? path : nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.pathOfNUL(at: "\(path)[\(index)]") { return found }
            }
        case .object(let members):
            for key in members.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if key.unicodeScalars.contains("\u{0}") { return child }
                if let found = members[key]!.pathOfNUL(at: child) { return found }
            }
        case .null, .bool, .int, .double:
            break
        }
        return nil
    }
}

/// Finds the JSON escape `\u0000` in raw JSON bytes without parsing them, so
/// the common case (no NUL) costs one pass. A raw NUL byte is not valid JSON
/// and is left for the parser to refuse.
public enum JSONNULScan {
    /// Whether `bytes` (JSON text) encodes a NUL character inside a string.
    public static func containsEscapedNUL<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else { continue }
            // Whatever follows a backslash is escaped: `\\u0000` is the text "\u0000", not a NUL.
            guard iterator.next() == UInt8(ascii: "u") else { continue }
            var digits: [UInt8] = []
            while digits.count < 4, let digit = iterator.next() { digits.append(digit) }
            if digits == Array("0000".utf8) { return true }
            // A non-hex byte here (or a backslash) is malformed JSON; the parser reports it.
        }
        return false
    }
}
