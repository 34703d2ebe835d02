import Foundation
import MockProvider
import Shared
import SiuoTestSupport
import Testing
import Worker

/// The codecs' profiles against the mock's reasoning models over real HTTP on loopback:
/// what the profile sends, the mock takes; what it would refuse fails with the field to change.
@Suite struct ProfileMockTests {
    typealias F = ProviderFixtures

    func mcqa(_ provider: Provider, _ model: String, baseURL: String, reasoning: Bool? = nil, thinkingBudget: Int? = nil) -> ModelCall {
        let spec = ModelSpec(
            name: "entry", provider: provider, model: model, baseURL: baseURL, reasoning: reasoning, thinkingBudget: thinkingBudget)
        let settings = spec.answerSettings(for: .mcqa)
        return ModelCall(
            model: spec, prompt: "What is shown?\n(A) a cup\n(B) a knife\n(C) a pen\n(D) a key", image: F.image, imageMediaType: "image/png",
            firstSample: 0, count: 1, temperature: settings.temperature, maxTokens: settings.maxTokens)
    }

    func send(_ call: ModelCall) async throws -> Result<ProviderReply, ProviderFailure> {
        let codec = ProviderCodecs.codec(for: call.model.provider)
        let response = try await CurlMultiClient.shared.send(codec.request(for: call, apiKey: "k", timeout: TestHTTP.hangLimit))
        return codec.decode(response, for: call)
    }

    @Test func reasoningModelsAnswerMCQAWithTheirProfileAndFailNamedWithout() async throws {
        try await MockLoopback.with(MockServer(seed: 5)) { url in
            for model in ["o3-mini", "gpt-5-mock"] {
                let reply = try await send(mcqa(.mock, model, baseURL: url + "/v1")).get()
                #expect(reply.samples.first?.outcome != .truncated, "\(model) thinks and still answers")
                #expect(reply.outputTokens > 5, "reasoning tokens count as output")
                // Asked as a plain model, the mock refuses as OpenAI does, and the message says what to change.
                let refused = try await send(mcqa(.mock, model, baseURL: url + "/v1", reasoning: false))
                guard case .failure(let failure) = refused else {
                    Issue.record("\(model) took max_tokens")
                    continue
                }
                #expect(!failure.retryable && failure.status == 400)
                let expected = "HTTP 400: the model refuses `max_tokens`: set `reasoning: true` in the sweep file's entry `entry`"
                #expect(failure.message.hasPrefix(expected))
            }
            let claude = try await send(mcqa(.anthropic, "claude-opus-4-7", baseURL: url)).get()
            #expect(claude.samples.count == 1)
            let thinking = try await send(mcqa(.anthropic, "claude-sonnet-4-5", baseURL: url, thinkingBudget: 1024)).get()
            #expect(thinking.samples.first?.outcome != .truncated)
            #expect(thinking.outputTokens > 5)
            let gemini = try await send(mcqa(.gemini, "gemini-2.5-pro", baseURL: url)).get()
            #expect(gemini.samples.first?.outcome != .truncated && gemini.outputTokens > 5)
        }
    }

    @Test func theOfficialFiveTokensAreSpentThinkingWithoutRoom() async throws {
        try await MockLoopback.with(MockServer(seed: 5)) { url in
            let reply = try await send(mcqa(.mock, "o3-mini", baseURL: url + "/v1", thinkingBudget: 0)).get()
            #expect(reply.samples.first?.outcome == .truncated)
            #expect(reply.outputTokens == 5)
        }
    }
}
