import Foundation

/// Reads a `multipart/form-data` body (RFC 7578) into its named parts.
enum MultipartReader {
    struct Part {
        var filename: String?
        var bytes: [UInt8]
    }

    /// The parts by field name, or `nil` when the body is not multipart with the boundary `contentType` names.
    static func parse(_ body: [UInt8], contentType: String) -> [String: Part]? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let end = boundary.firstIndex(of: ";") { boundary = String(boundary[..<end]) }
        boundary = boundary.trimmingCharacters(in: .init(charactersIn: "\" "))
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [String: Part] = [:]
        var positions: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var chunk = Array(body[(start + delimiter.count)..<end])
            if chunk.starts(with: [13, 10]) { chunk.removeFirst(2) }
            if chunk.suffix(2) == [13, 10] { chunk.removeLast(2) }
            guard let split = find([13, 10, 13, 10], in: chunk, from: 0) else { continue }
            let head = String(decoding: chunk[..<split], as: UTF8.self)
            guard let name = attribute("name", in: head) else { continue }
            parts[name] = Part(filename: attribute("filename", in: head), bytes: Array(chunk[(split + 4)...]))
        }
        return parts
    }

    private static func attribute(_ name: String, in head: String) -> String? {
        guard let range = head.range(of: " \(name)=\"") ?? head.range(of: ";\(name)=\"") else { return nil }
        let rest = head[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
