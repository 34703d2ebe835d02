import Foundation
import Hummingbird
import Shared

/// Chat Completions replies and errors.
struct OpenAIWire: WireWriter {
    func reply(_ input: ReplyInput) -> MockReply {
        if input.isBlocked {
            return error(
                .badRequest,
                message:
                    "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
                type: "invalid_request_error", code: "content_policy_violation", param: "prompt")
        }
        let choices: [JSONValue] = input.answers.enumerated().map { index, answer in
            let refused = answer.outcome == .refusal
            let message: JSONValue = .object([
                "role": .string("assistant"),
                "content": refused ? .null : .string(answer.text),
                "refusal": refused ? .string(answer.text) : .null,
            ])
            return .object([
                "index": .int(Int64(index)),
                "message": message,
                "logprobs": .null,
                "finish_reason": .string(answer.outcome == .truncated ? "length" : "stop"),
            ])
        }
        let input_ = MockHTTP.inputTokens(input.request)
        let output = input.outputTokens
        return MockHTTP.json(
            .ok,
            .object([
                "id": .string("chatcmpl-mock-\(input.id)"),
                "object": .string("chat.completion"),
                "created": .int(Int64(input.created)),
                "model": .string(input.resolvedModel),
                "system_fingerprint": .string("fp_mock_\(SHA256Hex.digest("seed \(input.seed)").prefix(10))"),
                "choices": .array(choices),
                "usage": .object(usage(input: input_, output: output, reasoning: input.reasoningTokens)),
            ]), headers: [("x-request-id", "req_mock_\(input.id)")])
    }

    /// `completion_tokens` includes the reasoning tokens, which reasoning models break out.
    private func usage(input: Int, output: Int, reasoning: Int) -> [String: JSONValue] {
        var usage: [String: JSONValue] = [
            "prompt_tokens": .int(Int64(input)), "completion_tokens": .int(Int64(output)), "total_tokens": .int(Int64(input + output)),
        ]
        if reasoning > 0 { usage["completion_tokens_details"] = .object(["reasoning_tokens": .int(Int64(reasoning))]) }
        return usage
    }

    func rateLimited(_ info: RateLimitInfo, model: String) -> MockReply {
        var headers = [("retry-after", "\(info.retryAfterSeconds)"), ("retry-after-ms", "\(info.retryAfterMs)")]
        headers += rateHeaders(limit: info.limit ?? 0, remaining: info.remaining, reset: info.retryAfter)
        let limit = info.limit.map { "Limit \(Int($0.rounded())), " } ?? ""
        var response = error(
            .tooManyRequests,
            message:
                "Rate limit reached for \(model) on requests per min (RPM): \(limit)Used \(Int((info.limit ?? 0).rounded())). Please try again in \(GoDuration.format(info.retryAfter)).",
            type: "requests", code: "rate_limit_exceeded", param: nil)
        MockHTTP.add(headers, to: &response)
        return response
    }

    func tokenHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)] {
        [
            ("x-ratelimit-limit-tokens", "\(Int(limit.rounded()))"), ("x-ratelimit-remaining-tokens", "\(remaining)"),
            ("x-ratelimit-reset-tokens", GoDuration.format(reset)),
        ]
    }

    func rateHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)] {
        [
            ("x-ratelimit-limit-requests", "\(Int(limit.rounded()))"), ("x-ratelimit-remaining-requests", "\(remaining)"),
            ("x-ratelimit-reset-requests", GoDuration.format(reset)),
        ]
    }

    func failure(_ failure: ServerFailure) -> MockReply {
        switch failure {
        case .internalError:
            error(
                .internalServerError, message: "The server had an error while processing your request. Sorry about that!", type: "server_error",
                code: nil, param: nil)
        case .unavailable:
            error(
                .serviceUnavailable, message: "The engine is currently overloaded, please try again later.", type: "server_error", code: nil,
                param: nil)
        case .overloaded:
            overloaded()
        }
    }

    func badRequest(_ message: String) -> MockReply {
        error(.badRequest, message: message, type: "invalid_request_error", code: nil, param: nil)
    }

    private func error(_ status: HTTPResponse.Status, message: String, type: String, code: String?, param: String?) -> MockReply {
        MockHTTP.json(
            status,
            .object([
                "error": .object([
                    "message": .string(message), "type": .string(type),
                    "param": param.map(JSONValue.string) ?? .null, "code": code.map(JSONValue.string) ?? .null,
                ])
            ]))
    }
}
