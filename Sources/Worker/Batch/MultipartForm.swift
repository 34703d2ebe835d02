import Foundation

/// A `multipart/form-data` body (RFC 7578), as OpenAI's file upload takes it.
struct MultipartForm {
    /// The boundary between parts; random, so no file content can contain it by chance.
    let boundary = "siuo-" + UUID().uuidString
    private var body: [UInt8] = []

    /// `Content-Type` for the body, with its boundary.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Adds a plain text field.
    mutating func field(_ name: String, _ value: String) {
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }

    /// Adds a file part.
    mutating func file(_ name: String, filename: String, contentType: String, bytes: [UInt8]) {
        append(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: \(contentType)\r\n\r\n")
        body += bytes
        append("\r\n")
    }

    /// The finished body.
    func encoded() -> [UInt8] {
        body + Array("--\(boundary)--\r\n".utf8)
    }

    private mutating func append(_ text: String) {
        body += Array(text.utf8)
    }
}
