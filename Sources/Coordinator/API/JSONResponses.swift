import Foundation
import Hummingbird
import Shared

/// JSON in and out of route handlers, with errors that name the field.
enum JSONResponses {
    /// `value` as a JSON response.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try WireCoding.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An `{"error": …}` response.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        (try? json(ErrorBody(error: message), status: status)) ?? Response(status: status)
    }

    /// Reads the body as `T`: 413 past the size limit, 400 naming the field
    /// for malformed JSON, a missing field or a wrong type.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: APIContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw HTTPError(.contentTooLarge, message: "the body is larger than \(context.maxUploadSize) bytes")
        }
        do {
            return try WireCoding.decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(path(context.codingPath, key))\""
        case .typeMismatch(let type, let context):
            return "field \"\(path(context.codingPath))\": expected \(type)"
        case .valueNotFound(let type, let context):
            return "field \"\(path(context.codingPath))\": expected \(type), found null"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not valid JSON"
        case .dataCorrupted(let context):
            return "field \"\(path(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }
}
