/// MCQA accuracy over a group of cases (a whole model or one category), in percent.
public struct MCQARates: Sendable, Equatable, Codable {
    /// Cases in the group.
    public var cases: Int
    /// Correct answers ×100 / cases, two decimals; `nil` for an empty group.
    public var accuracy: Double?
    /// 95% bootstrap interval of `accuracy`.
    public var accuracyCI95: ConfidenceInterval?
    /// Answers the parser could not read (scored as wrong).
    public var unparsed: Int

    /// Creates rates.
    public init(cases: Int, accuracy: Double?, accuracyCI95: ConfidenceInterval?, unparsed: Int) {
        self.cases = cases
        self.accuracy = accuracy
        self.accuracyCI95 = accuracyCI95
        self.unparsed = unparsed
    }

    enum CodingKeys: String, CodingKey {
        case cases, accuracy, accuracyCI95 = "accuracy_ci95", unparsed
    }

    /// Writes every key, `null` for a missing rate.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cases, forKey: .cases)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(accuracyCI95, forKey: .accuracyCI95)
        try container.encode(unparsed, forKey: .unparsed)
    }
}

/// A model's MCQA scores: the `mcqa` object (docs/protocol.md, "The report").
public struct MCQAScore: Sendable, Equatable, Codable {
    /// Accuracy over all the model's cases.
    public var overall: MCQARates
    /// Accuracy per category, keyed by the exact category string.
    public var categories: [String: MCQARates]

    /// Creates a score.
    public init(overall: MCQARates, categories: [String: MCQARates]) {
        self.overall = overall
        self.categories = categories
    }

    enum CodingKeys: String, CodingKey {
        case categories
    }

    /// Reads the flat report object (docs/protocol.md, "The report"): the overall accuracy sits beside `categories`.
    public init(from decoder: any Decoder) throws {
        overall = try MCQARates(from: decoder)
        categories = try decoder.container(keyedBy: CodingKeys.self).decode([String: MCQARates].self, forKey: .categories)
    }

    /// Writes the flat report object (docs/protocol.md, "The report").
    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(categories, forKey: .categories)
    }
}
