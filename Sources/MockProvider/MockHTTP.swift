import Foundation
import HTTPTypes
import Hummingbird
import Shared

/// A reply before it goes out: a live route sends it as it is, a batch
/// route puts its status and body into a result line.
struct MockReply: Sendable {
    var status: HTTPResponse.Status
    var body: [UInt8]
    var headers: [(String, String)]
    var contentType = "application/json"

    /// The Hummingbird response.
    var response: Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The body as JSON (`null` when it is not JSON, as after a `garbage` fault).
    var json: JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null
    }
}

/// Response helpers shared by the wire writers.
enum MockHTTP {
    static func json(_ status: HTTPResponse.Status, _ body: JSONValue, headers: [(String, String)] = []) -> MockReply {
        raw(status, bytes: Array(body.canonicalData()), headers: headers)
    }

    static func raw(_ status: HTTPResponse.Status, bytes: [UInt8], headers: [(String, String)] = []) -> MockReply {
        MockReply(status: status, body: bytes, headers: headers)
    }

    static func add(_ headers: [(String, String)], to reply: inout MockReply) {
        reply.headers += headers
    }

    /// The value of a request header, by name.
    static func header(_ name: String, in request: Request) -> String? {
        HTTPField.Name(name).flatMap { request.headers[$0] }
    }

    /// Tokens as the mock counts them: a token per four characters, rounded up,
    /// and a fixed 258 per image (Gemini's count for a small image).
    static func tokens(_ text: String) -> Int {
        (text.count + 3) / 4
    }

    static func inputTokens(_ request: ParsedRequest) -> Int {
        tokens(request.prompt) + 258 * request.imageCount
    }
}

/// Everything a wire writer needs to answer one request.
struct ReplyInput: Sendable {
    var request: ParsedRequest
    /// One per choice, in order (samples first, first+1, …).
    var answers: [MockAnswer]
    var firstSample: Int
    var seed: Int
    var created: Int

    /// The version string the model "resolves" to, as real APIs report dated snapshots.
    var resolvedModel: String { "\(request.model)-mock-2026-01" }

    /// Stable per request content, so identical asks get identical ids.
    var id: String {
        String(SHA256Hex.digest("\(seed)\u{1F}\(request.model)\u{1F}\(firstSample)\u{1F}\(request.prompt)").prefix(24))
    }

    /// Tokens the model spent thinking, across all choices (0 for models that do not think).
    var reasoningTokens = 0

    /// Output tokens as billed: the answers' text and the thinking.
    var outputTokens: Int { answers.reduce(0) { $0 + MockHTTP.tokens($1.text) } + reasoningTokens }

    /// A block concerns the prompt, so one blocked choice blocks the whole reply.
    var isBlocked: Bool { answers.contains { $0.outcome == .blocked } }
}

/// A 429 or other refusal to serve, with the numbers the headers carry.
struct RateLimitInfo: Sendable {
    /// How long until a token is available.
    var retryAfter: Duration
    /// The model's requests per minute (`nil` for a spurious 429 on an unlimited model).
    var limit: Double?
    /// Whole tokens left in the bucket.
    var remaining: Int

    var retryAfterSeconds: Int { max(1, Int((retryAfter.seconds).rounded(.up))) }
    var retryAfterMs: Int { max(1, Int((retryAfter.seconds * 1000).rounded(.up))) }
}

/// Go's `time.Duration.String()`, which OpenAI uses for `x-ratelimit-reset-*`: `250ms`, `1.2s`, `6m0s`.
enum GoDuration {
    static func format(_ duration: Duration) -> String {
        let seconds = max(0, duration.seconds)
        if seconds == 0 { return "0s" }
        if seconds < 1 { return trimmed(seconds * 1000) + "ms" }
        let hours = Int(seconds / 3600)
        let minutes = Int(seconds.truncatingRemainder(dividingBy: 3600) / 60)
        let rest = seconds.truncatingRemainder(dividingBy: 60)
        if hours > 0 { return "\(hours)h\(minutes)m\(trimmed(rest))s" }
        if minutes > 0 { return "\(minutes)m\(trimmed(rest))s" }
        return trimmed(rest) + "s"
    }

    private static func trimmed(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
