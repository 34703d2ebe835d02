import Foundation

/// Where a report's numbers come from, so that a result can be traced and reproduced
/// (`provenance` in docs/protocol.md, "The report").
public struct ReportProvenance: Sendable, Equatable, Codable {
    /// The siuo-sweep version that built the report.
    public var siuoVersion: String
    /// The dataset import's content hash.
    public var datasetSHA256: String
    /// SHA-256 of each effective prompt template, keyed by role (`generation`, `mcqa`,
    /// `safety`, `effectiveness`).
    public var templatesSHA256: [String: String]
    /// The sweep's seed, which fixes every bootstrap interval.
    public var seed: Int
    /// Responses per generation case.
    public var samples: Int
    /// When the sweep was first submitted.
    public var startedAt: Date
    /// When its last job finished, once every job has; `nil` while it runs or is paused.
    public var finishedAt: Date?
    /// The model versions providers reported, per target model.
    public var models: [String: ModelProvenance]
    /// The judge's and fallback judge's effective request parameters, by name
    /// (`nil` in reports built before model profiles).
    public var judges: [String: RequestProvenance]?

    /// Creates a provenance record.
    public init(
        siuoVersion: String, datasetSHA256: String, templatesSHA256: [String: String], seed: Int, samples: Int,
        startedAt: Date, finishedAt: Date?, models: [String: ModelProvenance], judges: [String: RequestProvenance]? = nil
    ) {
        self.siuoVersion = siuoVersion
        self.datasetSHA256 = datasetSHA256
        self.templatesSHA256 = templatesSHA256
        self.seed = seed
        self.samples = samples
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.models = models
        self.judges = judges
    }

    enum CodingKeys: String, CodingKey {
        case siuoVersion = "siuo_version", datasetSHA256 = "dataset_sha256", templatesSHA256 = "templates_sha256", seed
        case samples, startedAt = "started_at", finishedAt = "finished_at", models, judges
    }

    /// Writes every key, `null` for a sweep that has not finished.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(siuoVersion, forKey: .siuoVersion)
        try container.encode(datasetSHA256, forKey: .datasetSHA256)
        try container.encode(templatesSHA256, forKey: .templatesSHA256)
        try container.encode(seed, forKey: .seed)
        try container.encode(samples, forKey: .samples)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(models, forKey: .models)
        try container.encode(judges, forKey: .judges)
    }
}

/// The model a provider says answered, which may be a dated version of the name asked for,
/// and what its requests carried.
public struct ModelProvenance: Sendable, Equatable, Codable {
    /// The most frequent model name the provider reported; `nil` when none did.
    public var resolvedModel: String?
    /// The most frequent `system_fingerprint` the provider reported; `nil` when none did.
    public var systemFingerprint: String?
    /// The effective request parameters (`nil` in reports built before model profiles).
    public var request: RequestProvenance?

    /// Creates a record.
    public init(resolvedModel: String?, systemFingerprint: String?, request: RequestProvenance? = nil) {
        self.resolvedModel = resolvedModel
        self.systemFingerprint = systemFingerprint
        self.request = request
    }

    enum CodingKeys: String, CodingKey {
        case resolvedModel = "resolved_model", systemFingerprint = "system_fingerprint", request
    }

    /// Writes every key, `null` where unknown.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolvedModel, forKey: .resolvedModel)
        try container.encode(systemFingerprint, forKey: .systemFingerprint)
        try container.encode(request, forKey: .request)
    }
}

/// A model's effective request parameters under its profile (docs/architecture.md, "Model profiles").
public struct RequestProvenance: Sendable, Equatable, Codable {
    /// Whether the model was asked as a reasoning model.
    public var reasoning: Bool
    /// Whether that came from the profile table or the sweep file's `reasoning`.
    public var reasoningSource: ProfileSource
    /// Whether sampling parameters (`temperature`) were sent.
    public var samplingParams: Bool
    /// How thinking was asked for: `budget N`, `adaptive`, or `nil` when it was not.
    public var thinking: String?
    /// Tokens added to each answer limit for thinking.
    public var thinkingRoom: Int
    /// Generation requests' token field, limit and temperature (`nil` for a judge).
    public var generation: TaskRequest?
    /// MCQA requests' token field, limit and temperature (`nil` for a judge).
    public var mcqa: TaskRequest?
    /// A judge's requests' token field, limit and temperature (`nil` for a target model).
    public var judging: TaskRequest?

    /// The record of `model`'s requests under its profile, as a target model or as a judge.
    public init(_ model: ModelSpec, judge: Bool = false) {
        let profile = model.profile
        reasoning = profile.reasoning
        reasoningSource = profile.source
        samplingParams = profile.sendsSampling
        thinking = profile.thinking?.label
        thinkingRoom = profile.thinkingRoom
        generation = judge ? nil : model.request(for: .generation)
        mcqa = judge ? nil : model.request(for: .mcqa)
        judging = judge ? model.request(for: .judging) : nil
    }

    enum CodingKeys: String, CodingKey {
        case reasoning, reasoningSource = "reasoning_source", samplingParams = "sampling_params", thinking
        case thinkingRoom = "thinking_room", generation, mcqa, judging
    }

    /// Writes every key, `null` for no thinking and for the tasks the model is not asked.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reasoning, forKey: .reasoning)
        try container.encode(reasoningSource, forKey: .reasoningSource)
        try container.encode(samplingParams, forKey: .samplingParams)
        try container.encode(thinking, forKey: .thinking)
        try container.encode(thinkingRoom, forKey: .thinkingRoom)
        try container.encode(generation, forKey: .generation)
        try container.encode(mcqa, forKey: .mcqa)
        try container.encode(judging, forKey: .judging)
    }

    /// One line for tables: `max_completion_tokens 2548 / 2053 (generation / mcqa), no temperature, …`.
    public var summary: String {
        let asked = [("generation", generation), ("mcqa", mcqa), ("judging", judging)].compactMap { name, request in
            request.map { (name, $0) }
        }
        let limits = asked.map { $0.1.maxTokens.map(String.init) ?? "default" }.joined(separator: " / ")
        let field = asked.first?.1.tokenField.rawValue ?? ""
        var parts = ["\(field) \(limits) (\(asked.map(\.0).joined(separator: " / ")))"]
        parts.append(samplingParams ? "temperature sent" : "no temperature")
        if reasoning { parts.append("reasoning (\(reasoningSource == .table ? "table" : "sweep file"))") }
        if let thinking { parts.append("thinking \(thinking)") }
        return parts.joined(separator: ", ")
    }
}
