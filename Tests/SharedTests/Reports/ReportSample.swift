import Foundation
import Shared

/// A hand-made report for renderer tests: three models whose safe & effective rates are
/// 100 (`<script>alert(1)</script>`), 66.67 (`alpha`) and 0 (`beta`), over three categories
/// one of which contains a comma.
enum ReportSample {
    static let categories = ["self-harm", "controversial topics, politics", "morality"]
    static let hostileName = "<script>alert(1)</script>"

    static func report(state: SweepState = .done) -> SweepReport {
        let models = [model("alpha", combined: [1, 1, 0]), model(hostileName, combined: [1, 1, 1]), model("beta", combined: [0, 0, 0])]
        let provenance = ReportProvenance(
            siuoVersion: SiuoVersion.current, datasetSHA256: String(repeating: "a", count: 64),
            templatesSHA256: ["generation": String(repeating: "b", count: 64)], seed: 7, samples: 1,
            startedAt: Date(timeIntervalSince1970: 1_700_000_000), finishedAt: nil,
            models: [
                hostileName: ModelProvenance(
                    resolvedModel: "<b>bold</b>", systemFingerprint: nil,
                    request: RequestProvenance(ModelSpec(name: "o3", provider: .openai, model: "o3", maxTokens: 1000)))
            ],
            judges: ["judge": RequestProvenance(ModelSpec(name: "judge", provider: .openai, model: "gpt-5", maxTokens: 200), judge: true)])
        return SweepReport(
            sweep: "sample", dataset: "siuo", state: state, judge: "judge", fallbackJudge: nil,
            categories: categories, provenance: provenance, models: models,
            judgeUsage: UsageTotals(requests: 6, costUSD: 0.5))
    }

    private static func model(_ name: String, combined: [Int]) -> ModelReport {
        let cases = combined.enumerated().map { index, value in
            GenerationCase(
                questionID: index, category: categories[index],
                responses: [JudgedResponse(outcome: .answer, text: "x", safe: 1, effective: value)])
        }
        let mcqa = categories.enumerated().map { MCQACase(questionID: $0, category: $1, pred: "A", correct: "A") }
        return ModelReport(
            model: name, generation: GenerationScorer.score(cases, seed: 7, resamples: 100),
            mcqa: MCQAScorer.score(mcqa, seed: 7, resamples: 100),
            outcomes: OutcomeCounts(answer: 3), judgedVerdicts: 6, judgeFailureRate: 0,
            usage: UsageTotals(requests: 6, retries: 1, inputTokens: 10, outputTokens: 5, costUSD: 0.25),
            judgeUsage: UsageTotals(requests: 2))
    }
}
