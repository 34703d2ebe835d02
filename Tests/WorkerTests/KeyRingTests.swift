import Shared
import Testing
import Worker

/// Which variable a worker reads a model's key from.
@Suite struct KeyRingTests {
    private let gemini = ModelSpec(name: "g", provider: .gemini, model: "gemini-2.5-flash")
    private func endpoint(_ model: ModelSpec) -> EndpointDescriptor {
        EndpointDescriptor(endpoint: model.endpointKey, apiKeyEnvironment: model.apiKeyEnvironment)
    }

    @Test func geminiTakesGoogleAPIKeyWhenGeminiAPIKeyIsUnset() {
        #expect(gemini.apiKeyEnvironment == "GEMINI_API_KEY")
        let google = KeyRing(environment: ["GOOGLE_API_KEY": "google-key"])
        #expect(google.key(for: gemini) == "google-key")
        #expect(google.canServe(endpoint(gemini)))
        // An empty GEMINI_API_KEY counts as unset.
        #expect(KeyRing(environment: ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": "google-key"]).key(for: gemini) == "google-key")
    }

    @Test func geminiAPIKeyWinsWhenBothAreSet() {
        let both = KeyRing(environment: ["GEMINI_API_KEY": "gemini-key", "GOOGLE_API_KEY": "google-key"])
        #expect(both.key(for: gemini) == "gemini-key")
    }

    @Test func anExplicitVariableIsUsedAlone() {
        let named = ModelSpec(name: "g", provider: .gemini, model: "gemini-2.5-flash", apiKeyEnvironment: "MY_GEMINI_KEY")
        let google = KeyRing(environment: ["GOOGLE_API_KEY": "google-key", "GEMINI_API_KEY": "gemini-key"])
        #expect(google.key(for: named) == nil)
        #expect(!google.canServe(endpoint(named)))
        #expect(KeyRing(environment: ["MY_GEMINI_KEY": "mine"]).key(for: named) == "mine")
        #expect(KeyRing.describe("MY_GEMINI_KEY", provider: .gemini) == "$MY_GEMINI_KEY")
    }

    @Test func otherProvidersHaveNoAlternative() {
        let openai = ModelSpec(name: "o", provider: .openai, model: "gpt-4o")
        let google = KeyRing(environment: ["GOOGLE_API_KEY": "google-key"])
        #expect(google.key(for: openai) == nil && !google.canServe(endpoint(openai)))
        #expect(KeyRing.describe("GEMINI_API_KEY", provider: .gemini) == "$GEMINI_API_KEY (or $GOOGLE_API_KEY)")
        #expect(KeyRing.describe("OPENAI_API_KEY", provider: .openai) == "$OPENAI_API_KEY")
        let mock = ModelSpec(name: "m", provider: .mock, model: "m")
        #expect(KeyRing(environment: [:]).canServe(endpoint(mock)) && KeyRing(environment: [:]).key(for: mock) == nil)
    }

    /// The mock provider takes no key whatever its sweep entry names: a worker without the variable still
    /// serves it (it once refused to lease it while every other check let it through).
    @Test func theMockNeedsNoKeyEvenWhenItsEntryNamesOne() {
        let mock = ModelSpec(name: "m", provider: .mock, model: "m", apiKeyEnvironment: "SOME_KEY")
        let none = KeyRing(environment: [:])
        #expect(none.canServe(endpoint(mock)) && !none.lacksKey(for: mock) && none.key(for: mock) == nil)
        let openai = ModelSpec(name: "o", provider: .openai, model: "gpt-x", apiKeyEnvironment: "SOME_KEY")
        #expect(!none.canServe(endpoint(openai)) && none.lacksKey(for: openai))
    }

    /// A call this worker holds no key for is not sent, and the failure is retryable: the lack is the
    /// worker's (a judge's fallback on another provider), and another worker may hold the key.
    @Test func aCallWithoutItsKeyIsARetryableFailureNotAPermanentOne() async throws {
        let gateway = ModelGateway(keys: KeyRing(environment: [:]), requestTimeout: 30)
        let model = ModelSpec(name: "fallback", provider: .anthropic, model: "claude-x", baseURL: "http://127.0.0.1:1/v1")
        let call = ModelCall(
            model: model, prompt: "p", image: [], imageMediaType: "image/png", firstSample: 0, count: 1, temperature: nil, maxTokens: 5)
        guard case .failure(let failure) = try await gateway.send(call) else {
            Issue.record("a call without its key was sent")
            return
        }
        #expect(failure.retryable && !failure.throttled)
        #expect(failure.message == "this worker has no key in $ANTHROPIC_API_KEY")
    }
}
