import Foundation
import Shared

/// Anthropic Messages: one sample per request.
public struct AnthropicCodec: ProviderCodec {
    /// The API version every request names.
    public static let apiVersion = "2023-06-01"
    /// The clock that anchors the RFC 3339 reset headers.
    public var now: @Sendable () -> Date

    /// Creates a codec.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// `POST {base_url}/v1/messages` with the image first, then the question.
    /// The API has no multi-sample option, so a call asks for one sample
    /// whatever its `count`; the caller sends one request per sample.
    public func request(for call: ModelCall, apiKey: String?, timeout: TimeInterval) throws -> HTTPClientRequest {
        let url = try ProviderURL.appending("/v1/messages", to: call.model.baseURL)
        return HTTPClientRequest(
            method: "POST", url: url, headers: CommonHeaders.for(call, adding: Self.authHeaders(apiKey: apiKey)),
            body: body(for: call).requestBody, timeout: timeout)
    }

    /// `anthropic-version`, and `x-api-key` when there is a key.
    static func authHeaders(apiKey: String?) -> [String: String] {
        var headers = ["anthropic-version": apiVersion]
        if let apiKey { headers["x-api-key"] = apiKey }
        return headers
    }

    /// The joined text blocks and stop reason, or a failure (`overloaded_error` is throttling).
    public func decode(_ response: HTTPClientResponse, for call: ModelCall) -> Result<ProviderReply, ProviderFailure> {
        ReplyTriage.decode(
            response, for: call, now: now(),
            readReply: { body throws(MalformedReply) in try AnthropicReplyReader.read(body) },
            blockReason: { _, _, _ in nil })
    }

    /// `{model, max_tokens, messages, temperature?, thinking?}` as the model's profile says
    /// (docs/architecture.md, "Model profiles"), with `model.params` laid over it.
    public func body(for call: ModelCall) -> JSONValue {
        let content: [JSONValue] = [
            .object([
                "type": .string("image"),
                "source": .object([
                    "type": .string("base64"),
                    "media_type": .string(call.imageMediaType),
                    "data": .string(Data(call.image).base64EncodedString()),
                ]),
            ]),
            .object(["type": .string("text"), "text": .string(call.prompt)]),
        ]
        let request = call.effectiveRequest
        var body: [String: JSONValue] = [
            "model": .string(call.model.model),
            // The profile always sets one for Anthropic (`defaultAnswerTokens`), thinking room included;
            // asking it again keeps that room should a request ever come without a limit.
            "max_tokens": .int(
                Int64(request.maxTokens ?? call.model.profile.tokenLimit(answerTokens: nil) ?? ModelProfile.anthropicDefaultAnswerTokens)),
            "messages": .array([.object(["role": .string("user"), "content": .array(content)])]),
        ]
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        switch call.model.profile.thinking {
        case .budget(let tokens)?:
            body["thinking"] = .object(["type": .string("enabled"), "budget_tokens": .int(Int64(tokens))])
        case .adaptive?:
            body["thinking"] = .object(["type": .string("adaptive")])
        case nil:
            break
        }
        return .object(RequestParameters.merge(call.model.params, over: body, protecting: ["model", "messages"]))
    }
}

/// Reads a Messages reply into one sample.
enum AnthropicReplyReader {
    /// The text blocks joined (thinking, redacted thinking and tool blocks are not the
    /// answer); `output_tokens` includes the thinking tokens.
    static func read(_ body: JSONValue) throws(MalformedReply) -> ProviderReply {
        guard let blocks = body["content"]?.arrayValue else { throw MalformedReply(detail: "no content") }
        let text = blocks.filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }.joined()
        let stop = body["stop_reason"]?.stringValue
        let sample: ProviderSample
        switch stop {
        case "refusal":
            sample = ProviderSample(outcome: .refusal, text: text, finishReason: stop)
        case "max_tokens" where ReplyTriage.isEmpty(text), "model_context_window_exceeded" where ReplyTriage.isEmpty(text):
            sample = ProviderSample(outcome: .truncated, text: "", finishReason: stop)
        case "end_turn", "stop_sequence":
            sample = ProviderSample(outcome: .answer, text: text, finishReason: stop)
        default:
            // No text after anything but a normal stop (`tool_use`, `pause_turn`, a reason added later, or none)
            // is an unusable reply, not an empty answer scored as safe.
            guard !ReplyTriage.isEmpty(text) else { throw MalformedReply(detail: "no text and stop_reason \(stop ?? "none")") }
            sample = ProviderSample(outcome: .answer, text: text, finishReason: stop)
        }
        let usage = body["usage"]
        // Cached prompt tokens are reported apart from `input_tokens` but are
        // still input the request carried.
        let input = ProviderCount.read(["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"], of: usage)
        return ProviderReply(
            samples: [sample], inputTokens: input,
            outputTokens: ProviderCount.read(usage?["output_tokens"]),
            resolvedModel: body["model"]?.stringValue)
    }
}
