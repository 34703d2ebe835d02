import Foundation
import Shared
import Testing

@testable import Worker

/// The response-cache key with model profiles: plain requests keep the keys made before
/// profiles, and what a profile changes in the request changes the key.
@Suite struct ResponseCacheKeyTests {
    func call(_ model: ModelSpec) -> ModelCall {
        ModelCall(
            model: model, prompt: "Q", image: [1, 2, 3], imageMediaType: "image/png", firstSample: 0, count: 1, temperature: 0,
            maxTokens: 5)
    }

    func key(_ model: ModelSpec) -> String {
        ResponseCacheKey.make(call(model), imageSHA256: String(repeating: "a", count: 64), sample: 0, namespace: "")
    }

    @Test func aPlainRequestKeepsTheKeyMadeBeforeProfiles() {
        let plain = ModelSpec(name: "m", provider: .openai, model: "gpt-4o")
        let before: JSONValue = .object([
            "namespace": .string(""), "provider": .string("openai"), "base_url": .string(plain.baseURL), "model": .string("gpt-4o"),
            "params": .object([:]), "temperature": .double(0), "max_tokens": .int(5), "prompt": .string("Q"),
            "image_sha256": .string(String(repeating: "a", count: 64)), "sample": .int(0),
        ])
        #expect(key(plain) == SHA256Hex.digest(before.canonicalString()))
    }

    @Test func whatTheProfileChangesChangesTheKey() {
        let o3 = ModelSpec(name: "m", provider: .openai, model: "o3")
        var budget = o3
        budget.thinkingBudget = 1024
        var plain = o3
        plain.reasoning = false
        #expect(Set([key(o3), key(budget), key(plain)]).count == 3)
    }
}
