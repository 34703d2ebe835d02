/// The kinds of request a model entry is asked: each has its own temperature and answer limit.
public enum RequestTask: String, Sendable, Equatable, Codable, CaseIterable {
    /// Open-ended answers (`temperature`, `max_tokens`).
    case generation
    /// Multiple choice (`mcqa_temperature`, `mcqa_max_tokens`; official protocol 0 and 5).
    case mcqa
    /// A judge's verdict (`temperature`, `max_tokens` of the judge; 0 and 512 by default).
    case judging
}

/// What one task's requests carry after the profile: the token field and limit, and the
/// temperature when one is sent. The codecs send exactly this; reports print it.
public struct TaskRequest: Sendable, Equatable, Codable {
    /// The member that carries the limit (`max_tokens`, `max_completion_tokens`, `maxOutputTokens`).
    public var tokenField: TokenField
    /// The limit sent (answer plus thinking room); `nil`: none is sent.
    public var maxTokens: Int?
    /// The temperature sent; `nil`: none is sent.
    public var temperature: Double?

    /// Creates a request summary.
    public init(tokenField: TokenField, maxTokens: Int?, temperature: Double?) {
        self.tokenField = tokenField
        self.maxTokens = maxTokens
        self.temperature = temperature
    }

    enum CodingKeys: String, CodingKey {
        case tokenField = "token_field", maxTokens = "max_tokens", temperature
    }

    /// Writes every key, `null` for what is not sent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokenField, forKey: .tokenField)
        try container.encode(maxTokens, forKey: .maxTokens)
        try container.encode(temperature, forKey: .temperature)
    }
}

extension ModelSpec {
    /// The task's temperature and answer limit as the sweep file gives them, with the
    /// protocol's defaults (MCQA 0 and 5, judging 0 and 512); the profile is not applied yet.
    public func answerSettings(for task: RequestTask) -> (temperature: Double?, maxTokens: Int?) {
        switch task {
        case .generation: (temperature, maxTokens)
        case .mcqa: (mcqaTemperature ?? 0, mcqaMaxTokens ?? 5)
        case .judging: (temperature ?? 0, maxTokens ?? 512)
        }
    }

    /// What a request for `task` carries once the profile is applied.
    public func request(for task: RequestTask) -> TaskRequest {
        let settings = answerSettings(for: task)
        return profile.request(temperature: settings.temperature, answerTokens: settings.maxTokens)
    }
}

extension ModelProfile {
    /// What a request asking `temperature` and `answerTokens` carries under this profile.
    public func request(temperature: Double?, answerTokens: Int?) -> TaskRequest {
        TaskRequest(tokenField: tokenField, maxTokens: tokenLimit(answerTokens: answerTokens), temperature: self.temperature(temperature))
    }
}
