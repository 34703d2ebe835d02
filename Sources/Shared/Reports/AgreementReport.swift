/// A judge's 0/1 values against another rater's, per metric: the pieces of the report's `human`
/// and `judge_agreement` blocks (docs/protocol.md, "Agreement").
public struct PerMetric<Value: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
    /// The safety metric.
    public var safety: Value
    /// The effectiveness metric.
    public var effectiveness: Value

    /// Both metrics.
    public init(safety: Value, effectiveness: Value) {
        self.safety = safety
        self.effectiveness = effectiveness
    }
}

/// Fractions and κ as reports print them: four decimals, `nil` kept.
enum AgreementNumbers {
    static func rounded(_ value: Double?) -> Double? {
        value.map { ($0 * 10_000).rounded() / 10_000 }
    }
}

/// The judge against people on one metric (`human.agreement.safety`), over responses with both a
/// judge verdict and a (combined) human label.
public struct JudgeHumanAgreement: Sendable, Equatable, Codable {
    /// Responses compared.
    public var responses: Int
    /// The share on which the judge gave the people's value, in [0, 1]; `null` without responses.
    public var accuracy: Double?
    /// Cohen's κ; `null` when undefined.
    public var kappa: Double?
    /// The 2×2 counts, keyed `judge_<j>_human_<h>`.
    public var confusion: [String: Int]

    /// The block of `counts` (the judge as rater A, people as rater B).
    public init(_ counts: BinaryAgreement) {
        responses = counts.total
        accuracy = AgreementNumbers.rounded(counts.observed)
        kappa = AgreementNumbers.rounded(counts.kappa)
        confusion = [
            "judge_1_human_1": counts.a1b1, "judge_1_human_0": counts.a1b0, "judge_0_human_1": counts.a0b1,
            "judge_0_human_0": counts.a0b0,
        ]
    }

    enum CodingKeys: String, CodingKey { case responses, accuracy, kappa, confusion }

    /// Writes every key, `null` for an undefined number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(responses, forKey: .responses)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(kappa, forKey: .kappa)
        try container.encode(confusion, forKey: .confusion)
    }
}

/// People against each other on one metric (`human.reviewer_agreement.safety`).
public struct ReviewerAgreement: Sendable, Equatable, Codable {
    /// Responses two or more reviewers labelled on this metric.
    public var responses: Int
    /// Cohen's κ over every pair of reviewers on the same response (docs/protocol.md, "Agreement"); `null` when undefined.
    public var kappa: Double?

    /// Creates the block.
    public init(responses: Int, kappa: Double?) {
        self.responses = responses
        self.kappa = AgreementNumbers.rounded(kappa)
    }

    enum CodingKeys: String, CodingKey { case responses, kappa }

    /// Writes every key, `null` for an undefined κ.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(responses, forKey: .responses)
        try container.encode(kappa, forKey: .kappa)
    }
}

/// The judge against the second judge on one metric (`judge_agreement.safety`).
public struct JudgePairAgreement: Sendable, Equatable, Codable {
    /// Responses both judges gave a value for.
    public var responses: Int
    /// Cohen's κ; `null` when undefined.
    public var kappa: Double?
    /// The share of responses on which they agree, in [0, 1]; `null` without responses.
    public var agreement: Double?
    /// Responses on which they disagree.
    public var disagreements: Int

    /// The block of `counts` (the judge as rater A).
    public init(_ counts: BinaryAgreement) {
        responses = counts.total
        kappa = AgreementNumbers.rounded(counts.kappa)
        agreement = AgreementNumbers.rounded(counts.observed)
        disagreements = counts.disagreements
    }

    enum CodingKeys: String, CodingKey { case responses, kappa, agreement, disagreements }

    /// Writes every key, `null` for an undefined number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(responses, forKey: .responses)
        try container.encode(kappa, forKey: .kappa)
        try container.encode(agreement, forKey: .agreement)
        try container.encode(disagreements, forKey: .disagreements)
    }
}

/// One response the two judges grade differently on one metric.
public struct JudgeDisagreement: Sendable, Equatable, Codable {
    /// The target model.
    public var model: String
    /// The case's `question_id`.
    public var questionID: String
    /// The sample's index, from 0.
    public var sampleIndex: Int
    /// `safety` or `effectiveness`.
    public var metric: String
    /// The judge's value, 1 or 0.
    public var judge: Int
    /// The second judge's value, 1 or 0.
    public var secondJudge: Int

    /// Creates an entry.
    public init(model: String, questionID: String, sampleIndex: Int, metric: String, judge: Int, secondJudge: Int) {
        self.model = model
        self.questionID = questionID
        self.sampleIndex = sampleIndex
        self.metric = metric
        self.judge = judge
        self.secondJudge = secondJudge
    }

    enum CodingKeys: String, CodingKey {
        case model, questionID = "question_id", sampleIndex = "sample_index", metric, judge, secondJudge = "second_judge"
    }
}

/// The report's `judge_agreement` block: present when the sweep has a second judge.
public struct JudgeAgreement: Sendable, Equatable, Codable {
    /// The second judge's model label.
    public var secondJudge: String
    /// κ, agreement and disagreements per metric.
    public var metrics: PerMetric<JudgePairAgreement>
    /// Every response the judges disagree on, in model, case, sample and metric order.
    public var disagreeing: [JudgeDisagreement]

    /// Creates the block.
    public init(secondJudge: String, metrics: PerMetric<JudgePairAgreement>, disagreeing: [JudgeDisagreement]) {
        self.secondJudge = secondJudge
        self.metrics = metrics
        self.disagreeing = disagreeing
    }

    enum CodingKeys: String, CodingKey { case secondJudge = "second_judge", safety, effectiveness, disagreeing }

    /// Reads the flat object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        secondJudge = try container.decode(String.self, forKey: .secondJudge)
        metrics = PerMetric(
            safety: try container.decode(JudgePairAgreement.self, forKey: .safety),
            effectiveness: try container.decode(JudgePairAgreement.self, forKey: .effectiveness))
        disagreeing = try container.decode([JudgeDisagreement].self, forKey: .disagreeing)
    }

    /// Writes the flat object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(secondJudge, forKey: .secondJudge)
        try container.encode(metrics.safety, forKey: .safety)
        try container.encode(metrics.effectiveness, forKey: .effectiveness)
        try container.encode(disagreeing, forKey: .disagreeing)
    }
}
