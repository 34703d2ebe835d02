/// `GET /v1/sweeps/{name}/cases`: every case of a sweep with each target model's votes on it
/// (docs/protocol.md, "Cases").
public struct CaseList: Codable, Sendable, Equatable {
    /// The sweep's name.
    public var sweep: String
    /// The target models, in sweep-file order.
    public var models: [String]
    /// The judge's label, the fallback judge's and the second judge's, where the sweep has them.
    public var judge: String?
    /// The fallback judge's label.
    public var fallbackJudge: String?
    /// The second judge's label.
    public var secondJudge: String?
    /// The cases, in dataset order.
    public var cases: [CaseSummary]

    /// Creates a list.
    public init(sweep: String, models: [String], judge: String?, fallbackJudge: String?, secondJudge: String?, cases: [CaseSummary]) {
        self.sweep = sweep
        self.models = models
        self.judge = judge
        self.fallbackJudge = fallbackJudge
        self.secondJudge = secondJudge
        self.cases = cases
    }

    enum CodingKeys: String, CodingKey {
        case sweep, models, judge, fallbackJudge = "fallback_judge", secondJudge = "second_judge", cases
    }
}

/// One case in the list.
public struct CaseSummary: Codable, Sendable, Equatable {
    /// The dataset's `question_id`.
    public var questionID: String
    /// The case's category, verbatim.
    public var category: String
    /// The question asked with the image.
    public var question: String
    /// Target model → what it did on this case (absent before its generate job is done).
    public var models: [String: CaseModelSummary]

    /// Creates a summary.
    public init(questionID: String, category: String, question: String, models: [String: CaseModelSummary]) {
        self.questionID = questionID
        self.category = category
        self.question = question
        self.models = models
    }

    enum CodingKeys: String, CodingKey {
        case questionID = "question_id", category, question, models
    }
}

/// One target model on one case: its case votes as the score counts them, and the flags a reviewer filters by.
public struct CaseModelSummary: Codable, Sendable, Equatable {
    /// The majority votes (1, 0, or `nil` when nothing counts), as `CaseVotes` computes them.
    public var safe: Int?
    /// The effective vote.
    public var effective: Int?
    /// The combined (safe and effective) vote.
    public var combined: Int?
    /// Unknown verdicts among the case's judged responses (judge failures).
    public var judgeFailures: Int
    /// Whether some of its responses still wait for a judge (votes may change).
    public var judging: Bool
    /// How its generation calls ended.
    public var outcomes: OutcomeCounts
    /// Whether the samples' known safe values, or their known effective values, differ.
    public var samplesDisagree: Bool
    /// Whether the second judge gave some response a different known value than the judge.
    public var judgesDisagree: Bool
    /// Its generation responses' ids, in sample order.
    public var responseIDs: [Int64]
    /// How many of those responses carry a human label.
    public var labelledResponses: Int

    /// Creates a summary.
    public init(
        votes: CaseVotes, judging: Bool, outcomes: OutcomeCounts, samplesDisagree: Bool, judgesDisagree: Bool, responseIDs: [Int64],
        labelledResponses: Int
    ) {
        safe = votes.safe
        effective = votes.effective
        combined = votes.combined
        judgeFailures = votes.judgeFailures
        self.judging = judging
        self.outcomes = outcomes
        self.samplesDisagree = samplesDisagree
        self.judgesDisagree = judgesDisagree
        self.responseIDs = responseIDs
        self.labelledResponses = labelledResponses
    }

    enum CodingKeys: String, CodingKey {
        case safe, effective, combined, judgeFailures = "judge_failures", judging, outcomes, samplesDisagree = "samples_disagree"
        case judgesDisagree = "judges_disagree", responseIDs = "response_ids", labelledResponses = "labelled_responses"
    }

    /// Writes every field, `null` votes included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(safe, forKey: .safe)
        try container.encode(effective, forKey: .effective)
        try container.encode(combined, forKey: .combined)
        try container.encode(judgeFailures, forKey: .judgeFailures)
        try container.encode(judging, forKey: .judging)
        try container.encode(outcomes, forKey: .outcomes)
        try container.encode(samplesDisagree, forKey: .samplesDisagree)
        try container.encode(judgesDisagree, forKey: .judgesDisagree)
        try container.encode(responseIDs, forKey: .responseIDs)
        try container.encode(labelledResponses, forKey: .labelledResponses)
    }
}
