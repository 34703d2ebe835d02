import Foundation
import Shared

/// Google Gemini `generateContent`; several samples come from `candidateCount`.
public struct GeminiCodec: ProviderCodec {
    /// The clock that anchors HTTP-date waits.
    public var now: @Sendable () -> Date

    /// Creates a codec.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// `POST {base_url}/v1beta/models/{model}:generateContent`; the key goes
    /// in `x-goog-api-key`, never in the URL, so it cannot leak into logs.
    public func request(for call: ModelCall, apiKey: String?, timeout: TimeInterval) throws -> HTTPClientRequest {
        let url = try ProviderURL.appending("/v1beta/models/\(Self.modelID(call.model.model)):generateContent", to: call.model.baseURL)
        return HTTPClientRequest(
            method: "POST", url: url, headers: CommonHeaders.for(call, adding: Self.authHeaders(apiKey: apiKey)),
            body: body(for: call).requestBody, timeout: timeout)
    }

    /// `{contents, generationConfig}` with `model.params` laid over it.
    public func body(for call: ModelCall) -> JSONValue {
        GeminiRequestBody.json(for: call)
    }

    /// The model as the URL path names it: the API names models `models/…`, and a sweep may copy that form.
    static func modelID(_ model: String) -> String {
        model.hasPrefix("models/") ? String(model.dropFirst("models/".count)) : model
    }

    /// `x-goog-api-key` when there is a key (never the URL, whose query could reach logs).
    static func authHeaders(apiKey: String?) -> [String: String] {
        apiKey.map { ["x-goog-api-key": $0] } ?? [:]
    }

    /// The candidates, a prompt block (`promptFeedback.blockReason`), or a failure.
    public func decode(_ response: HTTPClientResponse, for call: ModelCall) -> Result<ProviderReply, ProviderFailure> {
        ReplyTriage.decode(
            response, for: call, now: now(),
            readReply: { body throws(MalformedReply) in try GeminiReplyReader.read(body, count: call.count) },
            blockReason: { _, _, _ in nil })
    }
}

/// The generateContent request body.
enum GeminiRequestBody {
    /// `{contents, generationConfig}` as the model's profile says (docs/architecture.md,
    /// "Model profiles"), with `model.params` laid over it; a `generationConfig` in params
    /// merges key by key, and so does its `thinkingConfig`.
    static func json(for call: ModelCall) -> JSONValue {
        let parts: [JSONValue] = [
            .object([
                "inline_data": .object([
                    "mime_type": .string(call.imageMediaType),
                    "data": .string(Data(call.image).base64EncodedString()),
                ])
            ]),
            .object(["text": .string(call.prompt)]),
        ]
        let request = call.effectiveRequest
        var config: [String: JSONValue] = [:]
        if let temperature = request.temperature { config["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { config["maxOutputTokens"] = .int(Int64(maxTokens)) }
        if call.count > 1 { config["candidateCount"] = .int(Int64(call.count)) }
        if case .budget(let tokens)? = call.model.profile.thinking {
            config["thinkingConfig"] = .object(["thinkingBudget": .int(Int64(tokens))])
        }
        var params = call.model.params
        if var userConfig = params.removeValue(forKey: "generationConfig")?.objectValue {
            if let thinking = config["thinkingConfig"]?.objectValue, let userThinking = userConfig["thinkingConfig"]?.objectValue {
                userConfig["thinkingConfig"] = .object(RequestParameters.merge(userThinking, over: thinking, protecting: []))
            }
            config = RequestParameters.merge(userConfig, over: config, protecting: [])
        }
        var body: [String: JSONValue] = [
            "contents": .array([.object(["role": .string("user"), "parts": .array(parts)])])
        ]
        if !config.isEmpty { body["generationConfig"] = .object(config) }
        return .object(RequestParameters.merge(params, over: body, protecting: ["contents"]))
    }
}
