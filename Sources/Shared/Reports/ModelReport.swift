/// One target model's results: an element of the report's `models` list (docs/protocol.md, "The report").
public struct ModelReport: Sendable, Equatable, Codable {
    /// The model's label from the sweep file.
    public var model: String
    /// Generation scores; `nil` when the sweep does not run generation.
    public var generation: GenerationScore?
    /// MCQA scores; `nil` when the sweep does not run MCQA.
    public var mcqa: MCQAScore?
    /// How the generation calls of the reported cases ended.
    public var outcomes: OutcomeCounts
    /// Verdicts the judge was due for the reported cases (two per gradable answer), the
    /// denominator of `judgeFailureRate`.
    public var judgedVerdicts: Int
    /// Unknown verdicts ×100 / `judgedVerdicts`, two decimals; `nil` when nothing was judged.
    public var judgeFailureRate: Double?
    /// The model's own generate and MCQA calls.
    public var usage: UsageTotals
    /// The judge calls that graded this model's responses (fallback and second judge included), kept apart
    /// so `usage` is what the model itself cost.
    public var judgeUsage: UsageTotals

    /// Creates a model's report.
    public init(
        model: String, generation: GenerationScore?, mcqa: MCQAScore?, outcomes: OutcomeCounts, judgedVerdicts: Int,
        judgeFailureRate: Double?, usage: UsageTotals, judgeUsage: UsageTotals
    ) {
        self.model = model
        self.generation = generation
        self.mcqa = mcqa
        self.outcomes = outcomes
        self.judgedVerdicts = judgedVerdicts
        self.judgeFailureRate = judgeFailureRate
        self.usage = usage
        self.judgeUsage = judgeUsage
    }

    enum CodingKeys: String, CodingKey {
        case model, generation, mcqa, outcomes, judgedVerdicts = "judged_verdicts", judgeFailureRate = "judge_failure_rate"
        case usage, judgeUsage = "judge_usage"
    }

    /// Writes every key, `null` for a task the sweep does not run or a missing rate.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(generation, forKey: .generation)
        try container.encode(mcqa, forKey: .mcqa)
        try container.encode(outcomes, forKey: .outcomes)
        try container.encode(judgedVerdicts, forKey: .judgedVerdicts)
        try container.encode(judgeFailureRate, forKey: .judgeFailureRate)
        try container.encode(usage, forKey: .usage)
        try container.encode(judgeUsage, forKey: .judgeUsage)
    }

    /// The safe & effective rate reports rank by; `nil` (ranked last) without generation scores.
    public var rankingScore: Double? { generation?.overall.safeAndEffective }
}
