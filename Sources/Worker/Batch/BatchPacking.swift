import Foundation
import Shared

/// Lays encoded lines into one request file or body under the size cap: in
/// order, stopping before the line that would pass `maxBytes`.
enum BatchPacking {
    /// One line, encoded as it goes into the file or body.
    struct Encoded {
        /// The line's `custom_id`.
        var customID: String
        /// Its bytes.
        var bytes: [UInt8]
    }

    /// `prefix`, the lines joined by `separator`, then `suffix`, with the
    /// custom ids of the lines that fit; throws a permanent failure naming
    /// the sizes when not even the first line fits.
    static func pack(
        _ lines: [Encoded], prefix: [UInt8] = [], separator: [UInt8] = [], suffix: [UInt8] = [], maxBytes: Int
    ) throws(ProviderFailure) -> (body: [UInt8], included: [String]) {
        guard let first = lines.first else {
            throw ProviderFailure(retryable: false, message: "a batch needs at least one line")
        }
        var body = prefix
        var included: [String] = []
        for line in lines {
            let extra = (included.isEmpty ? 0 : separator.count) + line.bytes.count
            guard body.count + extra + suffix.count <= maxBytes else { break }
            if !included.isEmpty { body += separator }
            body += line.bytes
            included.append(line.customID)
        }
        guard !included.isEmpty else {
            let size = prefix.count + first.bytes.count + suffix.count
            throw ProviderFailure(
                retryable: false,
                message: "batch line \(first.customID) takes \(size) bytes, more than the batch size cap of \(maxBytes) bytes")
        }
        return (body + suffix, included)
    }

    /// The bytes of `value` as JSON text (sorted keys, as every request body).
    static func json(_ value: JSONValue) -> [UInt8] {
        value.requestBody
    }
}

/// JSON Lines, as the providers' result files come.
enum JSONLines {
    /// Each non-blank line parsed; a line that is not JSON is skipped (a
    /// truncated last line, say), as its custom id cannot be read anyway.
    static func parse(_ bytes: [UInt8]) -> [JSONValue] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
            return trimmed.isEmpty ? nil : JSONValue.parse(Array(trimmed))
        }
    }
}

/// Small readings the three batch clients share.
enum BatchReading {
    /// A path segment with everything but unreserved characters percent-encoded.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `url` with `query` added (after any query it has, such as Azure's `api-version`), in name order.
    static func adding(_ query: [String: String], to url: String) -> String {
        guard !query.isEmpty else { return url }
        let pairs = query.sorted { $0.key < $1.key }.map { "\(segment($0.key))=\(segment($0.value))" }
        return url + (url.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
    }
}
