import Foundation

/// A JSON file that failed to parse, with the place a user should look.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String
    /// 1-based line of the offending character.
    public var line: Int
    /// 1-based column (in characters) of the offending character.
    public var column: Int
    /// The parser's own words.
    public var reason: String

    /// `file:line:column: malformed JSON: reason`.
    public var description: String {
        "\(file):\(line):\(column): malformed JSON: \(reason)"
    }
}

/// Reads JSON text into a `JSONValue`, reporting syntax errors by line and column.
public enum JSONDocumentReader {
    /// Parses `data`; `file` names the source in errors.
    public static func parse(_ data: Data, file: String) throws(JSONSyntaxError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw syntaxError(in: data, file: file)
        }
    }

    /// Foundation's parser reports a byte offset only in its debug text
    /// ("around character 14"), or nothing at all for a truncated file.
    static func syntaxError(in data: Data, file: String) -> JSONSyntaxError {
        var reason = "not valid JSON"
        var offset = data.count
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            if let range = debug.range(of: #"around character (\d+)"#, options: .regularExpression) {
                let digits = debug[range].split(separator: " ").last.map(String.init) ?? ""
                offset = min(Int(digits) ?? data.count, data.count)
                reason = debug[..<range.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            } else if debug.localizedCaseInsensitiveContains("end of file") {
                reason = "unexpected end of file (truncated?)"
            } else if !debug.isEmpty {
                reason = debug
            }
        }
        let (line, column) = position(ofByte: offset, in: data)
        return JSONSyntaxError(file: file, line: line, column: column, reason: reason)
    }

    /// The 1-based line and character column of byte `offset`.
    static func position(ofByte offset: Int, in data: Data) -> (line: Int, column: Int) {
        let prefix = data.prefix(offset)
        let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? prefix.startIndex
        let column = String(decoding: prefix[lineStart...], as: UTF8.self).count + 1
        return (line, column)
    }
}
