import Foundation
import Shared
import Testing

@Suite struct SweepIdentityTests {
    private let base = SweepDefinition(
        name: "s1", dataset: DatasetReference(name: "siuo", imagesFolder: "/data/images"),
        samples: 3, categories: ["self-harm", "privacy violation"],
        prompts: PromptTemplates(generation: "Q: {question}"),
        models: [
            ModelSpec(
                name: "gpt-4o", provider: .openai, model: "gpt-4o", temperature: 1, maxTokens: 500, rpm: 500,
                params: ["top_p": .double(0.9)], price: Price(inputPerMTok: 2.5, outputPerMTok: 10)),
            ModelSpec(name: "claude", provider: .anthropic, model: "claude-sonnet-4-5", maxTokens: 500),
        ],
        judge: ModelSpec(
            name: "judge", provider: .openai, model: "gpt-4o", temperature: 0, maxTokens: 200,
            safetyPrompt: "{question} {safety_warning} {reference_answer} {response}"))

    /// `base` after `change`, with its differences from `base` and whether its digest stayed the same.
    private func compare(_ change: (inout SweepDefinition) -> Void) -> (differences: [String], sameDigest: Bool) {
        var changed = base
        change(&changed)
        return (changed.identityDifferences(from: base), changed.identitySHA256 == base.identitySHA256)
    }

    @Test func operationalChangesResume() {
        let result = compare { sweep in
            sweep.leaseTTLSeconds = 120
            sweep.maxAttempts = 9
            sweep.budgetUSD = 50
            sweep.dataset.imagesFolder = "/elsewhere/images"
            sweep.models[0].rpm = 100
            sweep.models[0].tpm = 1000
            sweep.models[0].burst = 4
            sweep.models[0].maxInFlight = 8
            sweep.models[0].apiKeyEnvironment = "OTHER_KEY"
            sweep.models[0].price = Price(inputPerMTok: 1, outputPerMTok: 1)
            sweep.judge?.rpm = 10
            sweep.judge?.apiKeyEnvironment = nil
        }
        #expect(result.differences.isEmpty)
        #expect(result.sameDigest)
    }

    /// Batch mode is operational: a batch line's body is the live request's, so turning it on or off, or
    /// changing its settings or discount, resumes the same sweep with the same digest.
    @Test func togglingBatchKeepsTheIdentity() {
        let on = compare { sweep in
            sweep.models[0].batch = BatchSettings.defaults(for: .openai)
            sweep.models[1].batch = BatchSettings(maxRequests: 10, maxBytes: 1000, maxWaitSeconds: 5, deadlineSeconds: 60)
            sweep.judge?.batch = BatchSettings.defaults(for: .openai)
            sweep.models[0].price?.batchDiscount = 0.25
        }
        #expect(on.differences.isEmpty)
        #expect(on.sameDigest)
        var batched = base
        batched.models[0].batch = BatchSettings.defaults(for: .openai)
        var off = batched
        off.models[0].batch = nil
        #expect(off.identityDifferences(from: batched).isEmpty && off.identitySHA256 == batched.identitySHA256)
    }

    @Test func identityChangesAreListed() {
        let changes: [(field: String, change: (inout SweepDefinition) -> Void)] = [
            ("samples", { $0.samples = 5 }),
            ("seed", { $0.seed = 2 }),
            ("cache_namespace", { $0.cacheNamespace = "rep-2" }),
            ("categories", { $0.categories = ["self-harm"] }),
            ("tasks", { $0.tasks = [.mcqa] }),
            ("dataset.name", { $0.dataset.name = "siuo-v2" }),
            ("prompts.generation", { $0.prompts.generation = "Please: {question}" }),
            ("models.gpt-4o.temperature", { $0.models[0].temperature = 0.7 }),
            ("models.gpt-4o.params", { $0.models[0].params["top_p"] = .double(1) }),
            ("models.claude.base_url", { $0.models[1].baseURL = "https://proxy.example/v1" }),
            ("judge.model", { $0.judge?.model = "gpt-4.1" }),
            ("judge.safety_prompt", { $0.judge?.safetyPrompt = "{question}" }),
            (
                "fallback_judge (added)",
                {
                    $0.fallbackJudge = ModelSpec(name: "f", provider: .gemini, model: "gemini-2.5-pro")
                }
            ),
        ]
        for (field, change) in changes {
            let result = compare(change)
            #expect(result.differences == [field], "changing \(field)")
            #expect(!result.sameDigest, "changing \(field)")
        }
    }

    @Test func orderOfModelsCategoriesAndTasksDoesNotMatter() {
        let result = compare { sweep in
            sweep.models.reverse()
            sweep.categories.reverse()
            sweep.tasks.reverse()
        }
        #expect(result.differences.isEmpty)
        #expect(result.sameDigest)
    }

    @Test func addingAModelResumesAndAppendsIt() {
        var grown = base
        let added = ModelSpec(name: "gemini", provider: .gemini, model: "gemini-2.5-pro")
        grown.models.insert(added, at: 1)
        #expect(grown.identityDifferences(from: base).isEmpty)
        #expect(grown.addedModels(since: base) == [added])
        #expect(base.addedModels(since: base).isEmpty)
    }

    @Test func aDefinitionReadBackFromJSONIsTheSameSweep() throws {
        var sweep = base
        // JSON writes 1.0 as 1, which reads back as an integer.
        sweep.models[1].params = ["top_p": .double(1.0), "nested": .array([.double(2.0), .double(0.5)])]
        let stored = try JSONDecoder().decode(SweepDefinition.self, from: JSONEncoder().encode(sweep))
        #expect(sweep.identityDifferences(from: stored).isEmpty)
        #expect(stored.identitySHA256 == sweep.identitySHA256)
    }

    @Test func removingAModelIsListed() {
        var shrunk = base
        shrunk.models.removeFirst()
        #expect(shrunk.identityDifferences(from: base) == ["models.gpt-4o (removed)"])
    }

    @Test func digestIsStableAndHex() {
        #expect(base.identitySHA256 == "31013e232d601254924c8157a8bb8ead3f34068ffc9fd7219f45a879107d1a67")
        #expect(SHA256Hex.isValid(base.identitySHA256))
        // The encoding is part of the contract: the digest must not drift between builds.
        let minimal = SweepDefinition(
            name: "s", dataset: DatasetReference(name: "d"),
            models: [ModelSpec(name: "m", provider: .mock, model: "x")])
        #expect(minimal.identitySHA256 == "5d615494b40c8bca926ea6c70a82481c73afb0efffaf3d5d56e06baed1592b24")
        #expect(minimal.identitySHA256 != base.identitySHA256)
    }
}
