/// Scores a model's MCQA answers (docs/protocol.md, "MCQA"): accuracy, with unparsed answers wrong and counted.
public enum MCQAScorer {
    /// The model's overall and per-category accuracy with bootstrap intervals, seeded like
    /// `GenerationScorer.score` (groups `"overall"` and `"category:<name>"`).
    public static func score(_ cases: [MCQACase], seed: Int, resamples: Int = Bootstrap.defaultResamples) -> MCQAScore {
        MCQAScore(
            overall: rates(cases, seed: Bootstrap.seed(seed, group: "overall"), resamples: resamples),
            categories: Dictionary(grouping: cases, by: \.category).mapValues { group in
                rates(group, seed: Bootstrap.seed(seed, group: "category:\(group[0].category)"), resamples: resamples)
            })
    }

    /// The accuracy of one group of cases.
    static func rates(_ cases: [MCQACase], seed: UInt64, resamples: Int) -> MCQARates {
        let correct = cases.map { $0.isCorrect ? 1 : 0 }
        return MCQARates(
            cases: cases.count, accuracy: Percent.rate(correct.reduce(0, +), of: cases.count),
            accuracyCI95: Bootstrap.intervals([correct], seed: seed, resamples: resamples)[0],
            unparsed: cases.count { $0.pred == nil })
    }
}
