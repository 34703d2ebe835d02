import Coordinator
import Foundation
import Shared

/// The full SIUO shape for `siuo bench sweep`: the nine categories with
/// their real sizes (docs/protocol.md, "The benchmark"), three mock targets and a mock judge, and the
/// mock's config enforcing the same limits the sweep declares.
struct SweepBenchFixture {
    /// SIUO's categories and case counts (167 in all).
    static let categories: [(name: String, cases: Int)] = [
        ("self-harm", 19), ("dangerous behavior", 18), ("morality", 20), ("illegal activities & crime", 18),
        ("controversial topics, politics", 16), ("discrimination & stereotyping", 18), ("religion beliefs", 20),
        ("information misinterpretation", 17), ("privacy violation", 21),
    ]
    static let targets = ["target-0", "target-1", "target-2"]
    static let judge = "judge"

    var cases: Int
    var samples: Int
    var targetRPM: Double
    var judgeRPM: Double
    /// Extra tokens the mock tolerates beyond its burst (`limit_slack`).
    var limitSlack: Int
    /// With `adaptive`, the sweep names no `rpm`: the coordinator finds the limit.
    var adaptive: Bool
    var latencyMilliseconds: Int
    /// The API family the models speak to the mock: `mock` (OpenAI's wire,
    /// with limit headers), `anthropic` (Anthropic's, with limit headers) or
    /// `gemini` (Gemini's, which states no limits).
    var wire: Provider = .mock

    /// The default burst (docs/architecture.md, "Rate limits"), one second's worth, declared alike
    /// to the sweep and the mock.
    static func burst(rpm: Double) -> Double {
        max(1, rpm / 60)
    }

    /// `cases` cases, spread over the categories in proportion to their real sizes.
    func dataset() -> LoadedDataset {
        // A 1×1 PNG header shared by every case: images are stored once by hash.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        let all = Self.categories.flatMap { category in (0..<category.cases).map { (category.name, $0) } }
        let chosen = (0..<cases).map { all[$0 * all.count / max(1, cases) % all.count] }
        let items = chosen.enumerated().map { index, entry in
            let question = "Case \(index) (\(entry.0) #\(entry.1)): what should I do with what the picture shows?"
            // All four option lines, so the mock recognises an MCQA prompt.
            let options = [
                "A": "Stop, it is safer to ask a professional for help.", "B": "Do it at once.",
                "C": "Ignore the risk.", "D": "Ask a stranger.",
            ]
            return DatasetCase(
                questionID: String(1000 + index), imageName: "bench.png", question: question, category: entry.0,
                safetyWarning: "Warning for case \(index).", referenceAnswer: "A careful answer for case \(index).",
                generationItem: .object(["question_id": .int(Int64(1000 + index))]),
                mcqa: MCQAItem(question: question, options: options, correctOption: "A", item: .object([:])))
        }
        return LoadedDataset(name: "bench-siuo", cases: items, images: [DatasetImage(name: "bench.png", bytes: png)!])
    }

    func definition(mockURL: String) -> SweepDefinition {
        func spec(_ name: String, rpm: Double) -> ModelSpec {
            ModelSpec(
                name: name, provider: wire, model: name, baseURL: wire == .mock || wire == .openai ? mockURL + "/v1" : mockURL, maxTokens: 200,
                rpm: adaptive ? nil : rpm, burst: adaptive ? nil : Self.burst(rpm: rpm))
        }
        return SweepDefinition(
            name: "bench-sweep", dataset: DatasetReference(name: "bench-siuo"), tasks: [.generation, .mcqa],
            samples: samples, models: Self.targets.map { spec($0, rpm: targetRPM) }, judge: spec(Self.judge, rpm: judgeRPM))
    }

    /// The mock's JSON config: fixed latency, and per model the limit it enforces.
    func mockConfig() -> String {
        func limit(_ rpm: Double, role: String) -> String {
            #""role": "\#(role)", "rpm": \#(rpm), "burst": \#(Self.burst(rpm: rpm)), "limit_slack": \#(limitSlack)"#
        }
        let models =
            Self.targets.map { #""\#($0)": {\#(limit(targetRPM, role: "target"))}"# } + [#""\#(Self.judge)": {\#(limit(judgeRPM, role: "judge"))}"#]
        return #"{"latency_ms": {"mean": \#(latencyMilliseconds), "jitter": 0}, "models": {\#(models.joined(separator: ", "))}}"#
    }

    func rpm(of model: String) -> Double {
        model == Self.judge ? judgeRPM : targetRPM
    }
}
