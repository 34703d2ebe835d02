import Foundation
import Hummingbird
import Shared

/// JSON in and out of route handlers, with errors that name the field.
enum JSONResponses {
    /// `value` as a JSON response.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        json(bytes: try WireCoding.encoder().encode(value), status: status)
    }

    /// A response whose body is JSON already.
    static func json(bytes: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An `{"error": …}` response.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        (try? json(ErrorBody(error: message), status: status)) ?? Response(status: status)
    }

    /// Reads the body as `T`: 413 past the size limit, 400 naming the field
    /// for malformed JSON, a missing field, a wrong type or a NUL character.
    /// `fastPath` (a `JSONBytesReader` read) is tried first; whatever it
    /// cannot read goes to `JSONDecoder`, whose answer or error stands.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: APIContext,
        fastPath: (([UInt8]) throws(JSONBytesReader.Unreadable) -> T)? = nil
    ) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw HTTPError(.contentTooLarge, message: "the body is larger than \(context.maxUploadSize) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        if JSONNULScan.containsEscapedNUL(bytes), let path = (try? WireCoding.decoder().decode(JSONValue.self, from: Data(bytes)))?.pathOfNUL() {
            throw HTTPError(.badRequest, message: "field \"\(path)\": must not contain NUL characters (\\u0000); nothing was written")
        }
        if let fastPath, let value = try? fastPath(bytes) {
            return value
        }
        let data = Data(bytes)
        do {
            return try WireCoding.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation calls valid JSON with an integer too large for its field "not valid JSON", without the field.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let path = (try? WireCoding.decoder().decode(JSONValue.self, from: data)).flatMap({ pathOfHugeNumber($0) })
            {
                throw HTTPError(.badRequest, message: "field \"\(path)\": the number is out of range")
            }
            throw HTTPError(.badRequest, message: describe(error))
        }
    }

    /// The path of the first number beyond 64-bit integers, where the body has one.
    static func pathOfHugeNumber(_ value: JSONValue, at path: String = "") -> String? {
        switch value {
        case .double(let number) where !(Double(Int64.min)..<Double(Int64.max)).contains(number): return path
        case .array(let elements):
            return elements.enumerated().lazy.compactMap { pathOfHugeNumber($1, at: "\(path)[\($0)]") }.first
        case .object(let members):
            return members.keys.sorted().lazy.compactMap { pathOfHugeNumber(members[$0]!, at: path.isEmpty ? $0 : "\(path).\($0)") }.first
        default: return nil
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error {
        case .typeMismatch(_, let context) where context.codingPath.isEmpty,
            .valueNotFound(_, let context) where context.codingPath.isEmpty:
            return "the body must be a JSON object"
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
