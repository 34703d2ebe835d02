/// The report's `human` block (docs/protocol.md, "Human review"): present when the sweep has any
/// human label.
public struct HumanReview: Sendable, Equatable, Codable {
    /// Everyone who labelled, sorted.
    public var reviewers: [String]
    /// Responses with at least one label.
    public var labelledResponses: Int
    /// Per target model: the rates from people's labels over the cases whose samples are all labelled.
    public var models: [String: HumanRates]
    /// The judge against people, per metric.
    public var agreement: PerMetric<JudgeHumanAgreement>
    /// People against each other, per metric; `nil` unless two or more reviewers labelled the same responses.
    public var reviewerAgreement: PerMetric<ReviewerAgreement>?

    /// Creates the block.
    public init(
        reviewers: [String], labelledResponses: Int, models: [String: HumanRates], agreement: PerMetric<JudgeHumanAgreement>,
        reviewerAgreement: PerMetric<ReviewerAgreement>?
    ) {
        self.reviewers = reviewers
        self.labelledResponses = labelledResponses
        self.models = models
        self.agreement = agreement
        self.reviewerAgreement = reviewerAgreement
    }

    enum CodingKeys: String, CodingKey {
        case reviewers, labelledResponses = "labelled_responses", models, agreement, reviewerAgreement = "reviewer_agreement"
    }

    /// Writes the block, leaving `reviewer_agreement` out when there is none.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reviewers, forKey: .reviewers)
        try container.encode(labelledResponses, forKey: .labelledResponses)
        try container.encode(models, forKey: .models)
        try container.encode(agreement, forKey: .agreement)
        try container.encodeIfPresent(reviewerAgreement, forKey: .reviewerAgreement)
    }
}

/// A model's rates from people's labels: `labelled_cases` beside the rates' keys
/// (`cases`, `excluded_cases`, `safe`, `safe_ci95`, …) as `generation` has them.
public struct HumanRates: Sendable, Equatable, Codable {
    /// Cases every sample of which is labelled, the cases the rates are over.
    public var labelledCases: Int
    /// The rates, by the same code as the judge's (`GenerationScorer`).
    public var rates: GenerationRates

    /// Creates the rates.
    public init(labelledCases: Int, rates: GenerationRates) {
        self.labelledCases = labelledCases
        self.rates = rates
    }

    enum CodingKeys: String, CodingKey { case labelledCases = "labelled_cases" }

    /// Reads the flat object.
    public init(from decoder: any Decoder) throws {
        rates = try GenerationRates(from: decoder)
        labelledCases = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .labelledCases)
    }

    /// Writes the flat object.
    public func encode(to encoder: any Encoder) throws {
        try rates.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labelledCases, forKey: .labelledCases)
    }
}
