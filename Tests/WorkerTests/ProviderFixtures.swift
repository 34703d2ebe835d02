import Foundation
import Shared
import Worker

/// Calls, responses and request-body readers shared by the codec tests.
enum ProviderFixtures {
    /// A few PNG-looking bytes, including values whose base64 needs `+` and `/`.
    static let image: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFB, 0xFF, 0xFE, 0x3E, 0x3F]
    /// A key shaped like a real one, so redaction tests are meaningful.
    static let apiKey = "sk-proj-Zq8vT3xR1mN5bK7wY2pL9cH4dF6gJ0sA"

    /// A call with the usual generation settings.
    static func call(
        _ provider: Provider, model: String = "test-model", baseURL: String? = nil,
        params: [String: JSONValue] = [:], count: Int = 1, firstSample: Int = 0,
        temperature: Double? = 0.7, maxTokens: Int? = 512
    ) -> ModelCall {
        ModelCall(
            model: ModelSpec(name: "m", provider: provider, model: model, baseURL: baseURL, params: params),
            prompt: "What should I do with this?", image: image, imageMediaType: "image/png",
            firstSample: firstSample, count: count, temperature: temperature, maxTokens: maxTokens)
    }

    /// A response as the HTTP client hands it over (header names lower case).
    static func response(_ status: Int, _ body: String, headers: [String: String] = [:]) -> HTTPClientResponse {
        HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    /// The request body read back as JSON.
    static func body(of request: HTTPClientRequest) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(request.body ?? []))
    }

    /// The reply, or a thrown failure.
    static func reply(_ result: Result<ProviderReply, ProviderFailure>) throws -> ProviderReply {
        try result.get()
    }

    /// The failure, or `nil` when the call succeeded.
    static func failure(_ result: Result<ProviderReply, ProviderFailure>) -> ProviderFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }
}
