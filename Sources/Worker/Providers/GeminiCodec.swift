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
        var model = call.model.model
        // The API names models `models/…`; a sweep may copy that form.
        if model.hasPrefix("models/") { model.removeFirst("models/".count) }
        let url = try ProviderURL.appending("/v1beta/models/\(model):generateContent", to: call.model.baseURL)
        let extra = apiKey.map { ["x-goog-api-key": $0] } ?? [:]
        return HTTPClientRequest(
            method: "POST", url: url, headers: CommonHeaders.for(call, adding: extra),
            body: GeminiRequestBody.json(for: call).requestBody, timeout: timeout)
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
    /// `{contents, generationConfig}` with `model.params` laid over it;
    /// a `generationConfig` in params merges key by key.
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
        var config: [String: JSONValue] = [:]
        if let temperature = call.temperature { config["temperature"] = .double(temperature) }
        if let maxTokens = call.maxTokens { config["maxOutputTokens"] = .int(Int64(maxTokens)) }
        if call.count > 1 { config["candidateCount"] = .int(Int64(call.count)) }
        var params = call.model.params
        if let userConfig = params.removeValue(forKey: "generationConfig")?.objectValue {
            config = RequestParameters.merge(userConfig, over: config, protecting: [])
        }
        var body: [String: JSONValue] = [
            "contents": .array([.object(["role": .string("user"), "parts": .array(parts)])])
        ]
        if !config.isEmpty { body["generationConfig"] = .object(config) }
        return .object(RequestParameters.merge(params, over: body, protecting: ["contents"]))
    }
}
