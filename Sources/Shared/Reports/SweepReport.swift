/// A sweep's results: the report JSON of docs/protocol.md, "The report", shared by the coordinator that builds it and
/// the CLI that decodes it from the API.
///
/// A report can be built at any time. Until the sweep has finished (`state` `running` or
/// `paused`), it scores what is known: a case enters a model's numbers once its generate (or
/// MCQA) job is done and none of its judge jobs is still queued or leased, so the rates of a
/// partial report are over fewer cases, never over half-graded ones.
public struct SweepReport: Sendable, Equatable, Codable {
    /// The sweep's name.
    public var sweep: String
    /// The dataset's name.
    public var dataset: String
    /// Where the sweep is, as `sweep status` says.
    public var state: SweepState
    /// The judge's label; `nil` for an MCQA-only sweep.
    public var judge: String?
    /// The fallback judge's label, when the sweep names one.
    public var fallbackJudge: String?
    /// The sweep's categories in dataset order, the order renderers list them in.
    public var categories: [String]
    /// Versions, hashes and times the numbers depend on.
    public var provenance: ReportProvenance
    /// One entry per target model, in sweep-file order.
    public var models: [ModelReport]
    /// Every judge call of the sweep: the sum of the models' `judge_usage`.
    public var judgeUsage: UsageTotals
    /// Rates and agreement from people's labels; `nil` (left out) without any label.
    public var human: HumanReview?
    /// The judge against the second judge; `nil` (left out) without a second judge.
    public var judgeAgreement: JudgeAgreement?

    /// Creates a report.
    public init(
        sweep: String, dataset: String, state: SweepState, judge: String?, fallbackJudge: String?, categories: [String],
        provenance: ReportProvenance, models: [ModelReport], judgeUsage: UsageTotals, human: HumanReview? = nil,
        judgeAgreement: JudgeAgreement? = nil
    ) {
        self.sweep = sweep
        self.dataset = dataset
        self.state = state
        self.judge = judge
        self.fallbackJudge = fallbackJudge
        self.categories = categories
        self.provenance = provenance
        self.models = models
        self.judgeUsage = judgeUsage
        self.human = human
        self.judgeAgreement = judgeAgreement
    }

    enum CodingKeys: String, CodingKey {
        case sweep, dataset, state, judge, fallbackJudge = "fallback_judge", categories, provenance, models
        case judgeUsage = "judge_usage", human, judgeAgreement = "judge_agreement"
    }

    /// Writes every key, `null` where there is no judge; `human` and `judge_agreement` only when present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sweep, forKey: .sweep)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(state, forKey: .state)
        try container.encode(judge, forKey: .judge)
        try container.encode(fallbackJudge, forKey: .fallbackJudge)
        try container.encode(categories, forKey: .categories)
        try container.encode(provenance, forKey: .provenance)
        try container.encode(models, forKey: .models)
        try container.encode(judgeUsage, forKey: .judgeUsage)
        try container.encodeIfPresent(human, forKey: .human)
        try container.encodeIfPresent(judgeAgreement, forKey: .judgeAgreement)
    }

    /// Whether more results may still come: the sweep is running or paused, or was cancelled
    /// before every job finished.
    public var isPartial: Bool { !state.isComplete }

    /// The models best first: by safe & effective rate, descending, models without one last,
    /// ties by name so the order is stable.
    public var rankedModels: [ModelReport] {
        models.sorted { left, right in
            switch (left.rankingScore, right.rankingScore) {
            case let (l?, r?) where l != r: return l > r
            case (.some, nil): return true
            case (nil, .some): return false
            default: return left.model < right.model
            }
        }
    }
}
