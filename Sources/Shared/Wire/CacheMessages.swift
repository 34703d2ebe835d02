/// `POST /v1/cache/lookup` answer item: a provider's answer stored under the
/// sha256 of the exact request that produced it (docs/protocol.md, "The response cache and replicates").
public struct CachedAnswer: Sendable, Codable, Equatable {
    /// The request's key.
    public var key: String
    /// The outcome class.
    public var outcome: ResponseOutcome
    /// The text.
    public var text: String
    /// The provider's finish reason, verbatim.
    public var finishReason: String?
    /// The model version the provider resolved to.
    public var resolvedModel: String?
    /// OpenAI's `system_fingerprint`.
    public var systemFingerprint: String?

    /// Creates a cached answer.
    public init(
        key: String, outcome: ResponseOutcome, text: String, finishReason: String? = nil,
        resolvedModel: String? = nil, systemFingerprint: String? = nil
    ) {
        self.key = key
        self.outcome = outcome
        self.text = text
        self.finishReason = finishReason
        self.resolvedModel = resolvedModel
        self.systemFingerprint = systemFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case key, outcome, text, finishReason = "finish_reason", resolvedModel = "resolved_model", systemFingerprint = "system_fingerprint"
    }
}
