import Shared

/// The report's `judge_agreement` block (docs/protocol.md, "Two judges"): the judge against the
/// second judge over the responses both graded. Nothing here feeds the score.
enum JudgeAgreementBuilder {
    /// The block of `records`, or `nil` when the sweep has no second judge.
    static func build(_ records: SweepRecords) -> JudgeAgreement? {
        guard let name = records.models.name(of: .secondJudge) else { return nil }
        var counts = [String: BinaryAgreement]()
        var disagreeing: [JudgeDisagreement] = []
        for model in records.targets {
            for result in records.generationResults(of: model) {
                for response in result.responses {
                    for metric in ["safety", "effectiveness"] {
                        guard let judge = records.verdicts[response.responseID]?[metric]?.value,
                            let second = records.secondVerdicts[response.responseID]?[metric]?.value
                        else { continue }
                        counts[metric, default: BinaryAgreement()].add(judge, second)
                        if (judge != 0) != (second != 0) {
                            disagreeing.append(
                                JudgeDisagreement(
                                    model: model.name, questionID: result.testCase.questionID, sampleIndex: response.sampleIndex,
                                    metric: metric, judge: judge != 0 ? 1 : 0, secondJudge: second != 0 ? 1 : 0))
                        }
                    }
                }
            }
        }
        return JudgeAgreement(
            secondJudge: name,
            metrics: PerMetric(
                safety: JudgePairAgreement(counts["safety"] ?? BinaryAgreement()),
                effectiveness: JudgePairAgreement(counts["effectiveness"] ?? BinaryAgreement())),
            disagreeing: disagreeing)
    }
}
