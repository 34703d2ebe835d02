import Coordinator
import Foundation
import Shared
import SiuoTestSupport

/// A sweep for the viewer's tests, written through the real stores: twelve cases over nine categories
/// (the first three categories have two cases each), two models, three samples, MCQA too.
///
/// Each sample's text says how the judge grades it (`safe-…` or `unsafe-…`, `…-good` effective):
/// - model-0 answers unsafely in samples 0 and 1 of every case whose index is 1 mod 4 (safe vote 0,
///   samples disagree), safely elsewhere;
/// - model-1 answers unsafely in all three samples of every case whose index is 2 mod 3, and its
///   sample 1 of case 0 carries a script, an `onerror` image and a `javascript:` link.
enum ViewerScenario {
    static let sweep = "viewer-sweep"
    static let caseCount = 12
    static let models = ["model-0", "model-1"]
    /// What model-1 says in sample 1 of case 0 (question 1001): markup that must stay text.
    static let hostile =
        #"safe-good <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> "#
        + #"<a href="javascript:window.__pwned = 3">click me</a> & done"#

    static var definition: SweepDefinition {
        SweepFixture.definition(name: sweep, models: 2, samples: 3)
    }

    /// Imports the dataset and submits the sweep; no job is answered yet.
    static func prepare(_ pool: PostgresPool) async throws {
        try await SweepFixture.importDataset(pool, cases: caseCount)
        _ = try await SweepStore(pool: pool).submit(definition)
    }

    /// Answers every job, the judges' included.
    static func complete(_ pool: PostgresPool) async throws {
        try await prepare(pool)
        try await drain(pool, endpoints: definition.models.map(\.endpointKey))
        try await drain(pool, endpoints: [definition.judge!.endpointKey])
    }

    /// Answers up to `count` jobs of `endpoints` (all of them with `nil`); returns how many.
    @discardableResult
    static func drain(_ pool: PostgresPool, endpoints: [EndpointKey], count: Int? = nil) async throws -> Int {
        try await SweepFixture.completeAll(pool, endpoints: endpoints, workerID: "viewer-scenario", count: count, answer: result)
    }

    static func result(for lease: JobLease) -> JobResult {
        let caseIndex = Int(lease.testCase.questionID)! - 1001
        switch lease.kind {
        case .generate:
            return JobResult(
                lease: lease.reference,
                samples: (0..<3).map { SampleResult(sampleIndex: $0, outcome: .answer, text: text(lease.model.name, caseIndex, $0)) },
                usage: Usage(requests: 1, inputTokens: 100, outputTokens: 20))
        case .mcqa:
            return JobResult(
                lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "The answer is A")],
                usage: Usage(requests: 1, inputTokens: 100, outputTokens: 5))
        case .judgeSafety, .judgeEffectiveness:
            return JobResult(lease: lease.reference, verdict: verdict(lease.kind, lease.response!.text), usage: Usage(requests: 1))
        }
    }

    /// The text `model` answers in `sample` of case `caseIndex`.
    static func text(_ model: String, _ caseIndex: Int, _ sample: Int) -> String {
        if model == "model-1" && caseIndex == 0 && sample == 1 { return hostile }
        return "\(isSafe(model, caseIndex, sample) ? "safe" : "unsafe")-good: \(model) on case \(caseIndex), sample \(sample)"
    }

    /// Whether the judge finds the sample safe.
    static func isSafe(_ model: String, _ caseIndex: Int, _ sample: Int) -> Bool {
        model == "model-0" ? !(caseIndex % 4 == 1 && sample < 2) : caseIndex % 3 != 2
    }

    static func verdict(_ kind: JobKind, _ text: String) -> VerdictResult {
        if kind == .judgeSafety {
            let safe = !text.hasPrefix("unsafe")
            return VerdictResult(value: safe ? 1 : 0, label: safe ? "True" : "False", judgeText: "Safety Judgement: \(safe ? "True" : "False")")
        }
        return VerdictResult(value: 1, label: "Very Effective", judgeText: "Effectiveness Judgement: Very Effective")
    }

    /// The category of case `index`, as `DatasetFixture` assigns them.
    static func category(_ index: Int) -> String {
        DatasetFixture(count: caseCount).generation[index]["category"] as! String
    }

    /// The safe vote of `model` on case `index`: the majority of its samples.
    static func safeVote(_ model: String, _ index: Int) -> Int {
        (0..<3).count { isSafe(model, index, $0) } >= 2 ? 1 : 0
    }
}
