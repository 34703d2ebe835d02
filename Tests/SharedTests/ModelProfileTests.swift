import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The profile table, the sweep file's `reasoning` and `thinking_budget`, their checks and
/// their place in the sweep's identity (docs/architecture.md, "Model profiles").
@Suite struct ModelProfileTests {
    let sweep: SweepFolder

    init() throws {
        sweep = try SweepFolder()
    }

    @Test func theTableKnowsTodaysReasoningModels() {
        let reasoning: [(Provider, String)] = [
            (.openai, "o1"), (.openai, "o3-mini-2025-01-31"), (.openai, "o4-mini"), (.openai, "gpt-5"), (.openai, "gpt-5.4-nano"),
            (.openai, "openai/gpt-5.2"), (.mock, "o3-mock"), (.anthropic, "claude-opus-4-7"), (.anthropic, "claude-sonnet-5"),
            (.anthropic, "claude-opus-4-8-20260601"), (.anthropic, "claude-fable-5"), (.gemini, "gemini-2.5-flash"),
            (.gemini, "models/gemini-3-pro-preview"),
        ]
        for (provider, model) in reasoning {
            #expect(ModelProfile.table(provider: provider, model: model).reasoning, "\(provider) \(model)")
        }
        let plain: [(Provider, String)] = [
            (.openai, "gpt-4o"), (.openai, "gpt-5-chat-latest"), (.openai, "omni"), (.openai, "o"), (.mock, "vlm"),
            (.anthropic, "claude-sonnet-4-5-20250929"), (.anthropic, "claude-opus-4-6"), (.anthropic, "claude-3-7-sonnet-20250219"),
            (.gemini, "gemini-2.0-flash"), (.gemini, "gemma-3"),
        ]
        for (provider, model) in plain {
            #expect(!ModelProfile.table(provider: provider, model: model).reasoning, "\(provider) \(model)")
        }
    }

    @Test func sweepFileFieldsAreReadAndOverrideTheTable() throws {
        let definition = try sweep.parse(
            """
            name: s1
            dataset: {name: siuo}
            tasks: [mcqa]
            models:
              - {name: azure-o3, provider: openai, model: my-deployment, reasoning: true}
              - {name: o3-plain, provider: openai, model: o3, reasoning: false}
              - {name: sonnet, provider: anthropic, model: claude-sonnet-4-5, thinking_budget: 4096}
              - {name: flash, provider: gemini, model: gemini-2.5-flash, thinking_budget: 0}
            """)
        let models = definition.models
        #expect(models[0].reasoning == true && models[0].profile.reasoning && models[0].profile.source == .sweepFile)
        #expect(models[1].profile.reasoning == false && models[1].profile.tokenField == .maxTokens)
        #expect(models[2].thinkingBudget == 4096 && models[2].profile.thinking == .budget(4096) && !models[2].profile.sendsSampling)
        #expect(models[3].profile.thinking == .budget(0) && models[3].profile.thinkingRoom == 0)
        #expect(definition.problems().isEmpty)
    }

    @Test func anAnthropicBudgetBelowItsMinimumIsRefusedAtItsLine() {
        let problems = sweep.problems(
            """
            name: s1
            dataset: {name: siuo}
            tasks: [mcqa]
            models:
              - name: sonnet
                provider: anthropic
                model: claude-sonnet-4-5
                thinking_budget: 500
            """)
        #expect(
            problems == [
                SweepProblem(
                    file: "sweep.yaml", line: 8, field: "models[0].thinking_budget",
                    message: "Anthropic takes a thinking budget of at least 1024 tokens (or 0 for no thinking)")
            ])
    }

    @Test func definitionsFromTheAPIAreCheckedToo() {
        var definition = SweepDefinition(
            name: "s", dataset: DatasetReference(name: "d"), tasks: [.mcqa],
            models: [ModelSpec(name: "c", provider: .anthropic, model: "claude-sonnet-4-5", thinkingBudget: 10)])
        let minimum = "Anthropic takes a thinking budget of at least 1024 tokens (or 0 for no thinking)"
        #expect(definition.problems() == ["models[0].thinking_budget: \(minimum)"])
        definition.models[0].thinkingBudget = -5
        #expect(definition.problems() == ["models[0].thinking_budget: must not be negative"])
    }

    @Test func theNewFieldsArePartOfTheIdentityAndLeaveOlderDigestsAlone() {
        let base = SweepDefinition(
            name: "s", dataset: DatasetReference(name: "d"), models: [ModelSpec(name: "m", provider: .mock, model: "x")])
        // The digest of a sweep that sets neither field is the one fixed before profiles.
        #expect(base.identitySHA256 == "5d615494b40c8bca926ea6c70a82481c73afb0efffaf3d5d56e06baed1592b24")
        var reasoning = base
        reasoning.models[0].reasoning = true
        #expect(reasoning.identityDifferences(from: base) == ["models.m.reasoning"])
        #expect(reasoning.identitySHA256 != base.identitySHA256)
        var thinking = base
        thinking.models[0].thinkingBudget = 2048
        #expect(thinking.identityDifferences(from: base) == ["models.m.thinking_budget"])
        #expect(thinking.identitySHA256 != base.identitySHA256)
    }

    @Test func theReasoningDemoParsesWithTheProfilesItDescribes() throws {
        let demo = try SweepFileParser.load(path: RepositoryPaths.root + "/examples/demo-reasoning.yaml")
        let byName = Dictionary(uniqueKeysWithValues: demo.models.map { ($0.name, $0) })
        #expect(byName["o3-mini"]?.request(for: .mcqa) == TaskRequest(tokenField: .maxCompletionTokens, maxTokens: 2053, temperature: nil))
        #expect(byName["gpt-5-mini"]?.request(for: .generation) == TaskRequest(tokenField: .maxCompletionTokens, maxTokens: 1324, temperature: nil))
        #expect(byName["careful-vlm"]?.request(for: .mcqa) == TaskRequest(tokenField: .maxTokens, maxTokens: 5, temperature: 0))
    }

    @Test func aStoredDefinitionWithoutTheFieldsReadsBack() throws {
        let stored = #"{"name":"m","provider":"openai","model":"o3","baseURL":"https://api.openai.com/v1","multiSample":true,"params":{}}"#
        let model = try JSONDecoder().decode(ModelSpec.self, from: Data(stored.utf8))
        #expect(model.reasoning == nil && model.thinkingBudget == nil)
        #expect(model.profile.reasoning && model.profile.source == .table)
    }
}
