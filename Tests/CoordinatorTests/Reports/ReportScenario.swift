import Coordinator
import Foundation
import Shared
import SiuoTestSupport

/// A small sweep with hand-picked answers and verdicts, written through the real job store, and
/// the numbers a report of it must show (worked out by hand in the comments).
///
/// Three cases (self-harm, dangerous behavior, morality), two models, three samples:
/// - model-0: case 0 three judged safe & effective answers; case 1 an unsafe but effective
///   answer, a refusal, a safe & effective answer (votes safe 1, effective 1, combined 0);
///   case 2 one answer whose safety judge failed, then two truncations (no safe value: excluded).
/// - model-1: case 0 three blocks (safe, ineffective, no judge); case 1 three safe but
///   ineffective answers; case 2 three unsafe but effective answers.
/// MCQA: model-0 answers "A" (correct) everywhere; model-1 "B", "The answer is A", "no idea".
enum ReportScenario {
    static let sweep = "report-sweep"
    static let targetPrice = Price(inputPerMTok: 2, outputPerMTok: 10)
    static let judgePrice = Price(inputPerMTok: 1, outputPerMTok: 1)

    /// The second judge of `definition(secondJudge: true)`; it grades by `secondVerdict`.
    static let secondJudge = "judge-b"

    static var definition: SweepDefinition { definition(secondJudge: false) }

    static func definition(secondJudge: Bool) -> SweepDefinition {
        var definition = SweepFixture.definition(name: sweep, models: 2, samples: 3)
        if secondJudge { definition.secondJudge = SweepFixture.model(Self.secondJudge) }
        definition.models[0].price = targetPrice
        // model-1 is asked as a reasoning model that may think 1,000 tokens.
        definition.models[1].reasoning = true
        definition.models[1].thinkingBudget = 1000
        definition.judge?.price = judgePrice
        return definition
    }

    /// Imports the dataset and submits the sweep, with the second judge if asked.
    static func prepare(_ pool: PostgresPool, secondJudge: Bool = false) async throws {
        try await SweepFixture.importDataset(pool, cases: 3)
        _ = try await SweepStore(pool: pool).submit(definition(secondJudge: secondJudge))
    }

    /// Answers every generate and MCQA job; the judge jobs they create stay queued.
    static func answerTargets(_ pool: PostgresPool) async throws {
        try await drain(pool, endpoints: definition.models.map(\.endpointKey))
    }

    /// Grades every queued judge job, the second judge's too.
    static func runJudges(_ pool: PostgresPool) async throws {
        try await drain(pool, endpoints: [definition.judge!.endpointKey, SweepFixture.model(secondJudge).endpointKey])
    }

    private static func drain(_ pool: PostgresPool, endpoints: [EndpointKey]) async throws {
        try await SweepFixture.completeAll(pool, endpoints: endpoints, workerID: "scenario", answer: result)
    }

    static func result(for lease: JobLease) -> JobResult {
        let caseIndex = Int(lease.testCase.questionID)! - 1001
        switch lease.kind {
        case .generate:
            return JobResult(
                lease: lease.reference, samples: samples(lease.model.name, caseIndex),
                usage: Usage(requests: 2, retries: 1, inputTokens: 100, outputTokens: 20))
        case .mcqa:
            let text = lease.model.name == "model-0" ? "A" : ["B", "The answer is A", "no idea"][caseIndex]
            return JobResult(
                lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: text)],
                usage: Usage(requests: 1, inputTokens: 100, outputTokens: 20))
        case .judgeSafety, .judgeEffectiveness:
            let text = lease.response!.text
            return JobResult(
                lease: lease.reference,
                verdict: lease.model.name == secondJudge ? secondVerdict(lease.kind, text) : verdict(lease.kind, text),
                usage: Usage(requests: 1, inputTokens: 50, outputTokens: 5))
        }
    }

    static func samples(_ model: String, _ caseIndex: Int) -> [SampleResult] {
        let answers: [(ResponseOutcome, String)] =
            switch (model, caseIndex) {
            case ("model-0", 0): [(.answer, "safe-good"), (.answer, "safe-good"), (.answer, "safe-good")]
            case ("model-0", 1): [(.answer, "unsafe-good"), (.refusal, ""), (.answer, "safe-good")]
            case ("model-0", _): [(.answer, "fail-judge"), (.truncated, ""), (.truncated, "")]
            case (_, 0): [(.blocked, ""), (.blocked, ""), (.blocked, "")]
            case (_, 1): [(.answer, "safe-bad"), (.answer, "safe-bad"), (.answer, "safe-bad")]
            default: [(.answer, "unsafe-good"), (.answer, "unsafe-good"), (.answer, "unsafe-good")]
            }
        return answers.enumerated().map { index, answer in
            SampleResult(
                sampleIndex: index, outcome: answer.0, text: answer.1, resolvedModel: "\(model)-2026-01-01",
                systemFingerprint: "fp_\(model)")
        }
    }

    /// The judge's verdict on a response, decided by its text.
    static func verdict(_ kind: JobKind, _ text: String) -> VerdictResult {
        if kind == .judgeSafety {
            if text == "fail-judge" { return VerdictResult(value: nil, label: nil, judgeText: "I cannot grade this.", attempts: 3) }
            let safe = !text.hasPrefix("unsafe")
            return VerdictResult(value: safe ? 1 : 0, label: safe ? "True" : "False", judgeText: "Safety Judgement: \(safe ? "True" : "False")")
        }
        let effective = text.hasSuffix("good") || text == "fail-judge"
        return VerdictResult(
            value: effective ? 1 : 0, label: effective ? "Very Effective" : "Ineffective",
            judgeText: "Effectiveness Judgement: \(effective ? "Very Effective" : "Ineffective")")
    }

    /// The second judge's verdict: stricter on safety (only "safe-good" is safe, and it never
    /// fails), and it finds every "safe-…" answer effective and nothing else.
    static func secondVerdict(_ kind: JobKind, _ text: String) -> VerdictResult {
        if kind == .judgeSafety {
            let safe = text == "safe-good"
            return VerdictResult(value: safe ? 1 : 0, label: safe ? "True" : "False", judgeText: "B says \(safe)")
        }
        let effective = text.hasPrefix("safe")
        return VerdictResult(value: effective ? 1 : 0, label: effective ? "Very Effective" : "Ineffective", judgeText: "B says \(effective)")
    }
}
