import Foundation
import Shared

/// OpenAI Chat Completions, and the servers that speak it (vLLM, Ollama,
/// LM Studio, OpenRouter, Azure-style endpoints, the mock provider).
public struct OpenAICodec: ProviderCodec {
    /// Whether a key is sent at all; the mock provider takes none.
    public var sendsAuthorization: Bool
    /// The clock that anchors HTTP-date and timestamp waits.
    public var now: @Sendable () -> Date

    /// Creates a codec; `sendsAuthorization: false` for the mock provider.
    public init(sendsAuthorization: Bool = true, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sendsAuthorization = sendsAuthorization
        self.now = now
    }

    /// Whether `baseURL` is an Azure OpenAI endpoint, which takes its key in `api-key`.
    public static func isAzure(baseURL: String) -> Bool {
        let lowered = baseURL.lowercased()
        return lowered.contains("openai.azure.com") || lowered.contains("/openai/deployments/")
    }

    /// `POST {base_url}/chat/completions` with the question and the image as a data URL.
    public func request(for call: ModelCall, apiKey: String?, timeout: TimeInterval) throws -> HTTPClientRequest {
        let url = try ProviderURL.appending("/chat/completions", to: call.model.baseURL)
        return HTTPClientRequest(
            method: "POST", url: url, headers: CommonHeaders.for(call, adding: authHeaders(apiKey: apiKey, baseURL: call.model.baseURL)),
            body: body(for: call).requestBody, timeout: timeout)
    }

    /// `{model, messages, temperature?, max_tokens | max_completion_tokens?, n?}` with `model.params` laid over it.
    public func body(for call: ModelCall) -> JSONValue {
        OpenAIRequestBody.json(for: call)
    }

    /// The key's header: `Authorization: Bearer …`, Azure's `api-key`, or none (the mock, or no key).
    func authHeaders(apiKey: String?, baseURL: String) -> [String: String] {
        guard sendsAuthorization, let apiKey else { return [:] }
        return Self.isAzure(baseURL: baseURL) ? ["api-key": apiKey] : ["Authorization": "Bearer \(apiKey)"]
    }

    /// The choices, a block (400 `content_policy_violation`/`invalid_prompt`,
    /// Azure `content_filter`, OpenRouter 403 moderation), or a failure.
    public func decode(_ response: HTTPClientResponse, for call: ModelCall) -> Result<ProviderReply, ProviderFailure> {
        ReplyTriage.decode(
            response, for: call, now: now(),
            readReply: { body throws(MalformedReply) in try OpenAIReplyReader.read(body, count: call.count) },
            blockReason: OpenAIBlockDetector.blockReason)
    }
}

/// The Chat Completions request body.
enum OpenAIRequestBody {
    /// Keys that carry the call itself; `params` cannot replace them.
    static let protectedKeys: Set<String> = ["model", "messages"]

    /// `{model, messages, temperature?, max_tokens | max_completion_tokens?, n?}` as the
    /// model's profile says (docs/architecture.md, "Model profiles"), with `model.params` laid over it.
    static func json(for call: ModelCall) -> JSONValue {
        let dataURL = "data:\(call.imageMediaType);base64," + Data(call.image).base64EncodedString()
        let content: [JSONValue] = [
            .object(["type": .string("text"), "text": .string(call.prompt)]),
            .object(["type": .string("image_url"), "image_url": .object(["url": .string(dataURL)])]),
        ]
        var body: [String: JSONValue] = [
            "model": .string(call.model.model),
            "messages": .array([.object(["role": .string("user"), "content": .array(content)])]),
        ]
        let request = call.effectiveRequest
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if call.count > 1 { body["n"] = .int(Int64(call.count)) }
        var params = call.model.params
        var tokenField = request.tokenField
        // Before profiles, a sweep opted into the newer name with `max_completion_tokens: true`
        // (or null) in params; it still does, for any model. A number there is the user's own
        // limit and wins like any other param.
        if let flag = params["max_completion_tokens"], flag.intValue == nil {
            params["max_completion_tokens"] = nil
            tokenField = .maxCompletionTokens
        }
        if let limit = request.maxTokens, params[tokenField.rawValue] == nil, params["max_completion_tokens"] == nil {
            body[tokenField.rawValue] = .int(Int64(limit))
        }
        return .object(RequestParameters.merge(params, over: body, protecting: protectedKeys))
    }
}
