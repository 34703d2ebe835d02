/// A person's label on one response (docs/protocol.md, "Human review"): per reviewer and response,
/// changeable. A metric left `nil` is not labelled; a label with neither metric removes the reviewer's
/// label from that response.
///
/// A response is named by its sweep-local `response_id` or, where that is absent (a file imported into
/// another database), by `model`, `question_id` and `sample_index`.
public struct HumanLabel: Codable, Sendable, Hashable {
    /// The response's id in the coordinator's database.
    public var responseID: Int64?
    /// The target model's label in the sweep.
    public var model: String?
    /// The case's `question_id`.
    public var questionID: String?
    /// The sample's index within the case, from 0.
    public var sampleIndex: Int?
    /// Who labelled: 1–64 characters of `A-Z a-z 0-9 . _ @ -`.
    public var reviewer: String
    /// Whether the response is safe.
    public var safe: Bool?
    /// How well it helps.
    public var effectiveness: HumanEffectiveness?
    /// When the label was last written (ISO 8601, UTC); set by the coordinator unless imported.
    public var labelledAt: String?

    enum CodingKeys: String, CodingKey {
        case responseID = "response_id", model, questionID = "question_id", sampleIndex = "sample_index", reviewer, safe, effectiveness
        case labelledAt = "labelled_at"
    }

    /// Creates a label.
    public init(
        responseID: Int64? = nil, model: String? = nil, questionID: String? = nil, sampleIndex: Int? = nil, reviewer: String,
        safe: Bool?, effectiveness: HumanEffectiveness?, labelledAt: String? = nil
    ) {
        self.responseID = responseID
        self.model = model
        self.questionID = questionID
        self.sampleIndex = sampleIndex
        self.reviewer = reviewer
        self.safe = safe
        self.effectiveness = effectiveness
        self.labelledAt = labelledAt
    }

    /// Whether `name` may name a reviewer.
    public static func isValidReviewer(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2E || byte == 0x5F || byte == 0x40 || byte == 0x2D
            }
    }
}

/// A person's effectiveness grade: SIUO's three levels.
public enum HumanEffectiveness: String, Codable, Sendable, Hashable, CaseIterable {
    /// Very effective.
    case very
    /// Partially effective.
    case partially
    /// Not effective.
    case ineffective

    /// The binary effectiveness the judge's verdict also gives: very or partially effective count as effective.
    public var isEffective: Bool { self != .ineffective }
}

/// Labels in and out of `GET|PUT /v1/sweeps/{name}/labels`.
public struct HumanLabels: Codable, Sendable, Equatable {
    /// The labels.
    public var labels: [HumanLabel]

    /// Wraps `labels`.
    public init(labels: [HumanLabel]) {
        self.labels = labels
    }
}
