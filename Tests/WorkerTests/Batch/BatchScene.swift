import Foundation
import MockProvider
import Shared
import SiuoTestSupport
import Testing
import Worker

/// A batch client of one provider against a mock on a loopback port, with
/// calls whose answers the mock's rules predict.
struct BatchScene {
    let provider: Provider
    let mockURL: String
    let server: MockServer
    let http = CurlMultiClient.shared
    /// Keys for every provider, so the auth headers go out as they would.
    let keys = KeyRing(environment: ["OPENAI_API_KEY": "sk-test-openai", "ANTHROPIC_API_KEY": "sk-ant-test", "GEMINI_API_KEY": "g-test"])

    /// The providers whose batch wire exists (the mock speaks OpenAI's).
    static let providers: [Provider] = [.openai, .anthropic, .gemini, .mock]

    /// Runs `body` with a mock serving `config` and a scene for `provider`.
    static func with(
        _ provider: Provider, config: MockConfig = MockConfig(defaults: BatchScene.quick), seed: Int = 7,
        _ body: (BatchScene) async throws -> Void
    ) async throws {
        let server = MockServer(seed: seed, config: config)
        try await MockLoopback.with(server) { url in
            try await body(BatchScene(provider: provider, mockURL: url, server: server))
        }
    }

    /// The defaults with batches that end half a second after creation.
    static var quick: MockModelProfile {
        var profile = MockModelProfile.defaults
        profile.batchDelaySeconds = 0.5
        return profile
    }

    /// The model, pointed at the mock the way a sweep points it.
    var model: ModelSpec {
        let base = provider == .openai || provider == .mock ? mockURL + "/v1" : mockURL
        return ModelSpec(name: "m", provider: provider, model: "\(provider.rawValue)-batch-model", baseURL: base)
    }

    var api: any BatchAPI { BatchAPIs.make(for: provider, http: http, keys: keys, timeout: TestHTTP.hangLimit) }
    var codec: any ProviderCodec { ProviderCodecs.codec(for: provider) }

    /// Line `index`: job `100 + index`, a prompt of its own, first sample `index % 3`;
    /// line 4 asks for two samples where the API can (`n`, `candidateCount`).
    func line(_ index: Int) -> BatchLine {
        let sample = index % 3
        let count = index == 4 && provider != .anthropic ? 2 : 1
        let call = ModelCall(
            model: model, prompt: "Batch case \(index): what does the picture suggest I do?", image: ProviderFixtures.image,
            imageMediaType: "image/png", firstSample: sample, count: count, temperature: 0.7, maxTokens: 256)
        return BatchLine(customID: "j\(100 + index)-s\(sample)", call: call)
    }

    func lines(_ count: Int) -> [BatchLine] {
        (0..<count).map(line)
    }

    /// Submits `lines` with a fresh tag and every byte allowed.
    func submit(
        _ lines: [BatchLine], tag: String = "siuo-test-\(UUID().uuidString.prefix(8))", maxBytes: Int = 100 << 20
    )
        async throws -> BatchSubmission
    {
        try await api.submit(lines, model: model, tag: tag, maxBytes: maxBytes, beforeCreate: {})
    }

    /// Polls until the batch has ended, and returns its progress then.
    func waitForEnd(_ id: String) async throws -> BatchProgress {
        var progress: BatchProgress?
        try await waitUntil("batch \(id) ends", every: .milliseconds(100)) {
            progress = try await api.progress(of: id, model: model)
            return progress?.ended == true
        }
        return try #require(progress)
    }

    /// The results by custom id.
    func results(_ id: String) async throws -> [String: BatchLineOutcome] {
        let results = try await api.results(of: id, model: model)
        return Dictionary(results.map { ($0.customID, $0.outcome) }, uniquingKeysWith: { first, _ in first })
    }

    /// What the live route answers for `call`, decoded by the live codec.
    func live(_ call: ModelCall) async throws -> Result<ProviderReply, ProviderFailure> {
        let request = try codec.request(for: call, apiKey: keys.key(for: call.model), timeout: TestHTTP.hangLimit)
        return codec.decode(try await http.send(request), for: call)
    }

    /// A batch line's reply decoded by the live codec.
    func decode(_ outcome: BatchLineOutcome?, for call: ModelCall) -> Result<ProviderReply, ProviderFailure>? {
        guard case .reply(let status, let body)? = outcome else { return nil }
        return codec.decode(HTTPClientResponse(status: status, headers: [:], body: body), for: call)
    }

    /// The mock's `/stats` batch counters.
    func batchStats() async throws -> JSONValue {
        let response = try await http.send(HTTPClientRequest(url: mockURL + "/stats", timeout: TestHTTP.hangLimit))
        let stats = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
        return stats["batches"] ?? .null
    }

    func counter(_ name: String) async throws -> Int64? {
        if case .int(let value)? = try await batchStats()[name] { return value }
        return nil
    }
}
