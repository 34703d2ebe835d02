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
    public static func containsEscapedNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            let backslash = UInt8(ascii: "\\")
            var index = 0
            while index < buffer.count {
                guard buffer[index] == backslash else {
                    index += 1
                    continue
                }
                // Whatever follows a backslash is escaped: `\\u0000` is the text "\u0000", not a NUL.
                let escaped = index + 1
                if escaped + 4 < buffer.count, buffer[escaped] == UInt8(ascii: "u"),
                    buffer[escaped + 1] == UInt8(ascii: "0"), buffer[escaped + 2] == UInt8(ascii: "0"),
                    buffer[escaped + 3] == UInt8(ascii: "0"), buffer[escaped + 4] == UInt8(ascii: "0")
                {
                    return true
                }
                // A non-hex byte after `\u` (or a backslash) is malformed JSON; the parser reports it.
                index = escaped + 1
            }
            return false
        }
    }
}
