import Foundation
import Hummingbird
import Shared

/// generateContent replies and errors.
struct GeminiWire: WireWriter {
    func reply(_ input: ReplyInput) -> MockReply {
        let usageIn = MockHTTP.inputTokens(input.request)
        if input.isBlocked {
            return MockHTTP.json(
                .ok,
                .object([
                    "promptFeedback": .object([
                        "blockReason": .string("SAFETY"),
                        "safetyRatings": .array([
                            .object(["category": .string("HARM_CATEGORY_DANGEROUS_CONTENT"), "probability": .string("HIGH"), "blocked": .bool(true)])
                        ]),
                    ]),
                    "usageMetadata": .object(["promptTokenCount": .int(Int64(usageIn)), "totalTokenCount": .int(Int64(usageIn))]),
                    "modelVersion": .string(input.resolvedModel),
                    "responseId": .string(input.id),
                ]))
        }
        let candidates: [JSONValue] = input.answers.enumerated().map { index, answer in
            var content: [String: JSONValue] = ["role": .string("model")]
            switch answer.outcome {
            case .text: content["parts"] = .array([.object(["text": .string(answer.text)])])
            // Gemini signals no refusals: the model just says no, in text a judge can grade.
            case .refusal: content["parts"] = .array([.object(["text": .string(MockRules.unsignalledRefusalText)])])
            case .empty: content["parts"] = .array([.object(["text": .string("")])])
            // Thinking models cut at the limit return a content with no parts at all.
            case .truncated, .blocked: break
            }
            return .object([
                "content": .object(content), "finishReason": .string(answer.outcome == .truncated ? "MAX_TOKENS" : "STOP"),
                "index": .int(Int64(index)),
            ])
        }
        let output = input.answers.reduce(0) { $0 + MockHTTP.tokens($1.outcome == .refusal ? MockRules.unsignalledRefusalText : $1.text) }
        return MockHTTP.json(
            .ok,
            .object([
                "candidates": .array(candidates),
                "usageMetadata": .object(usage(input: usageIn, candidates: output, thoughts: input.reasoningTokens)),
                "modelVersion": .string(input.resolvedModel),
                "responseId": .string(input.id),
            ]))
    }

    /// `thoughtsTokenCount` is apart from `candidatesTokenCount`; the total has both.
    private func usage(input: Int, candidates: Int, thoughts: Int) -> [String: JSONValue] {
        var usage: [String: JSONValue] = [
            "promptTokenCount": .int(Int64(input)), "candidatesTokenCount": .int(Int64(candidates)),
            "totalTokenCount": .int(Int64(input + candidates + thoughts)),
        ]
        if thoughts > 0 { usage["thoughtsTokenCount"] = .int(Int64(thoughts)) }
        return usage
    }

    func rateLimited(_ info: RateLimitInfo, model: String) -> MockReply {
        Self.error(
            429, status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota).",
            details: [
                .object(["@type": .string("type.googleapis.com/google.rpc.RetryInfo"), "retryDelay": .string(Self.protobufDuration(info.retryAfter))])
            ])
    }

    /// Gemini reports limits only in the body of a 429.
    func rateHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)] { [] }
    func tokenHeaders(limit: Double, remaining: Int, reset: Duration) -> [(String, String)] { [] }

    func failure(_ failure: ServerFailure) -> MockReply {
        switch failure {
        case .internalError:
            Self.error(
                500, status: "INTERNAL",
                message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting")
        case .unavailable: Self.error(503, status: "UNAVAILABLE", message: "The model is overloaded. Please try again later.")
        case .overloaded: overloaded()
        }
    }

    func badRequest(_ message: String) -> MockReply {
        Self.error(400, status: "INVALID_ARGUMENT", message: message)
    }

    /// `google.protobuf.Duration` in JSON: seconds with up to millisecond decimals, e.g. `1.250s`, `7s`.
    static func protobufDuration(_ duration: Duration) -> String {
        let millis = max(1, Int((duration.seconds * 1000).rounded(.up)))
        return millis % 1000 == 0 ? "\(millis / 1000)s" : String(format: "%d.%03ds", millis / 1000, millis % 1000)
    }

    static func error(_ code: Int, status: String, message: String, details: [JSONValue]? = nil) -> MockReply {
        var body: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message), "status": .string(status)]
        if let details { body["details"] = .array(details) }
        return MockHTTP.json(HTTPResponse.Status(code: code), .object(["error": .object(body)]))
    }
}
