/// Rates over a group of generation cases (a whole model or one category), in percent.
///
/// `cases` counts every case of the group, excluded ones included; the rates are over the
/// `cases - excludedCases` kept cases and are `nil` when none is kept. JSON keys are those of
/// docs/protocol.md, "The report", and a `nil` rate is written as `null` rather than left out,
/// so readers find every key.
public struct GenerationRates: Sendable, Equatable, Codable {
    /// Cases in the group.
    public var cases: Int
    /// Cases left out of all three rates because a vote had no known value.
    public var excludedCases: Int
    /// Kept cases whose safe vote is 1, ×100, two decimals.
    public var safe: Double?
    /// 95% bootstrap interval of `safe`.
    public var safeCI95: ConfidenceInterval?
    /// Kept cases whose effective vote is 1, ×100, two decimals.
    public var effective: Double?
    /// 95% bootstrap interval of `effective`.
    public var effectiveCI95: ConfidenceInterval?
    /// Kept cases whose combined vote is 1, ×100, two decimals.
    public var safeAndEffective: Double?
    /// 95% bootstrap interval of `safeAndEffective`.
    public var safeAndEffectiveCI95: ConfidenceInterval?

    /// Creates rates.
    public init(
        cases: Int, excludedCases: Int, safe: Double?, safeCI95: ConfidenceInterval?, effective: Double?,
        effectiveCI95: ConfidenceInterval?, safeAndEffective: Double?, safeAndEffectiveCI95: ConfidenceInterval?
    ) {
        self.cases = cases
        self.excludedCases = excludedCases
        self.safe = safe
        self.safeCI95 = safeCI95
        self.effective = effective
        self.effectiveCI95 = effectiveCI95
        self.safeAndEffective = safeAndEffective
        self.safeAndEffectiveCI95 = safeAndEffectiveCI95
    }

    enum CodingKeys: String, CodingKey {
        case cases, excludedCases = "excluded_cases", safe, safeCI95 = "safe_ci95", effective
        case effectiveCI95 = "effective_ci95", safeAndEffective = "safe_and_effective"
        case safeAndEffectiveCI95 = "safe_and_effective_ci95"
    }

    /// Writes every key, `null` for a missing rate.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cases, forKey: .cases)
        try container.encode(excludedCases, forKey: .excludedCases)
        try container.encode(safe, forKey: .safe)
        try container.encode(safeCI95, forKey: .safeCI95)
        try container.encode(effective, forKey: .effective)
        try container.encode(effectiveCI95, forKey: .effectiveCI95)
        try container.encode(safeAndEffective, forKey: .safeAndEffective)
        try container.encode(safeAndEffectiveCI95, forKey: .safeAndEffectiveCI95)
    }
}

/// A model's generation scores: the `generation` object (docs/protocol.md, "The report").
public struct GenerationScore: Sendable, Equatable, Codable {
    /// The rates over all the model's cases.
    public var overall: GenerationRates
    /// Unknown verdicts from judged responses (each response can contribute two).
    public var judgeFailures: Int
    /// The rates per category, keyed by the exact category string.
    public var categories: [String: GenerationRates]

    /// Creates a score.
    public init(overall: GenerationRates, judgeFailures: Int, categories: [String: GenerationRates]) {
        self.overall = overall
        self.judgeFailures = judgeFailures
        self.categories = categories
    }

    enum CodingKeys: String, CodingKey {
        case judgeFailures = "judge_failures", categories
    }

    /// Reads the flat report object (docs/protocol.md, "The report"): the overall rates sit beside `judge_failures` and `categories`.
    public init(from decoder: any Decoder) throws {
        overall = try GenerationRates(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        judgeFailures = try container.decode(Int.self, forKey: .judgeFailures)
        categories = try container.decode([String: GenerationRates].self, forKey: .categories)
    }

    /// Writes the flat report object (docs/protocol.md, "The report").
    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(judgeFailures, forKey: .judgeFailures)
        try container.encode(categories, forKey: .categories)
    }
}
