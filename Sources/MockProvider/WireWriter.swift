import Hummingbird

/// Server-side failures the writers can express.
enum ServerFailure: Sendable {
    case internalError  // 500
    case unavailable  // 503
    case overloaded  // 529
}

/// Writes replies and errors in one provider's wire format.
protocol WireWriter: Sendable {
    func reply(_ input: ReplyInput) -> MockReply
    func rateLimited(_ info: RateLimitInfo, model: String) -> MockReply
    func failure(_ failure: ServerFailure) -> MockReply
    func badRequest(_ message: String) -> MockReply
    /// Headers a successful reply carries about the model's bucket.
    func rateHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)]
    /// Headers a successful reply carries about the model's input-token bucket.
    func tokenHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)]
}

extension MockWireFormat {
    var writer: any WireWriter {
        switch self {
        case .openai: OpenAIWire()
        case .anthropic: AnthropicWire()
        case .gemini: GeminiWire()
        }
    }
}

extension WireWriter {
    /// Anthropic's overloaded shape on every route: 529 is Anthropic's status,
    /// and clients of the other APIs meet it only behind proxies that pass it through.
    func overloaded() -> MockReply {
        MockHTTP.json(
            .init(code: 529, reasonPhrase: "Overloaded"),
            .object(["type": .string("error"), "error": .object(["type": .string("overloaded_error"), "message": .string("Overloaded")])]))
    }
}
