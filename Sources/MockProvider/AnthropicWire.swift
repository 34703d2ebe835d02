import Foundation
import Hummingbird
import Shared

/// Messages API replies and errors.
struct AnthropicWire: WireWriter {
    func reply(_ input: ReplyInput) -> MockReply {
        // Anthropic has one choice per request and no prompt-block status: a block is
        // the same signal as a refusal (`stop_reason: refusal`), with no text at all.
        let answer = input.answers[0]
        let content: [JSONValue]
        let stopReason: String
        switch answer.outcome {
        case .text: (content, stopReason) = ([textBlock(answer.text)], "end_turn")
        case .refusal: (content, stopReason) = ([textBlock(answer.text)], "refusal")
        case .blocked: (content, stopReason) = ([], "refusal")
        case .empty: (content, stopReason) = ([], "end_turn")
        case .truncated: (content, stopReason) = ([], "max_tokens")
        }
        // Thinking comes first and is never the answer; `output_tokens` includes it.
        let thinkingBlock: JSONValue = .object([
            "type": .string("thinking"), "thinking": .string("Looking at the image and the question first."),
            "signature": .string("sig_mock"),
        ])
        let thinking: [JSONValue] = input.reasoningTokens > 0 ? [thinkingBlock] : []
        return MockHTTP.json(
            .ok,
            .object([
                "id": .string("msg_mock_\(input.id)"),
                "type": .string("message"),
                "role": .string("assistant"),
                "model": .string(input.resolvedModel),
                "content": .array(thinking + content),
                "stop_reason": .string(stopReason),
                "stop_sequence": .null,
                "usage": .object(["input_tokens": .int(Int64(MockHTTP.inputTokens(input.request))), "output_tokens": .int(Int64(input.outputTokens))]
                ),
            ]), headers: [("request-id", "req_mock_\(input.id)")])
    }

    func rateLimited(_ info: RateLimitInfo, model: String) -> MockReply {
        var response = error(
            .tooManyRequests, type: "rate_limit_error",
            message: "This request would exceed the rate limit for your organization of \(Int((info.limit ?? 0).rounded())) requests per minute.")
        let headers =
            [("retry-after", "\(info.retryAfterSeconds)")] + rateHeaders(limit: info.limit ?? 0, remaining: info.remaining, reset: info.retryAfter)
        MockHTTP.add(headers, to: &response)
        return response
    }

    func tokenHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)] {
        Self.limitHeaders("input-tokens", limit: limit, remaining: remaining, reset: reset)
    }

    func rateHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)] {
        Self.limitHeaders("requests", limit: limit, remaining: remaining, reset: reset)
    }

    /// `anthropic-ratelimit-{kind}-{limit,remaining,reset}`, the reset as an RFC 3339 time.
    private static func limitHeaders(_ kind: String, limit: Double, remaining: Int, reset: Duration) -> [(String, String)] {
        let when = Date().addingTimeInterval(reset.seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return [
            ("anthropic-ratelimit-\(kind)-limit", "\(Int(limit.rounded()))"), ("anthropic-ratelimit-\(kind)-remaining", "\(remaining)"),
            ("anthropic-ratelimit-\(kind)-reset", formatter.string(from: when)),
        ]
    }

    func failure(_ failure: ServerFailure) -> MockReply {
        switch failure {
        case .internalError: error(.internalServerError, type: "api_error", message: "Internal server error")
        case .unavailable: error(.serviceUnavailable, type: "api_error", message: "Service unavailable")
        case .overloaded: overloaded()
        }
    }

    func badRequest(_ message: String) -> MockReply {
        error(.badRequest, type: "invalid_request_error", message: message)
    }

    private func textBlock(_ text: String) -> JSONValue {
        .object(["type": .string("text"), "text": .string(text)])
    }

    private func error(_ status: HTTPResponse.Status, type: String, message: String) -> MockReply {
        MockHTTP.json(status, .object(["type": .string("error"), "error": .object(["type": .string(type), "message": .string(message)])]))
    }
}
