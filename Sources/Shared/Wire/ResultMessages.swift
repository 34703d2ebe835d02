/// One response a model gave.
public struct SampleResult: Sendable, Codable, Equatable {
    /// 0-based sample index.
    public var sampleIndex: Int
    /// The outcome class.
    public var outcome: ResponseOutcome
    /// The text (empty for blocks and truncations).
    public var text: String
    /// The provider's finish reason, verbatim.
    public var finishReason: String?
    /// The model version the provider resolved to.
    public var resolvedModel: String?
    /// OpenAI's `system_fingerprint`.
    public var systemFingerprint: String?
    /// Whether it came from the response cache.
    public var fromCache: Bool
    /// The response-cache key of the request that produced it, when the sweep uses the cache.
    public var cacheKey: String?

    /// Creates a sample.
    public init(sampleIndex: Int, outcome: ResponseOutcome, text: String, finishReason: String? = nil,
                resolvedModel: String? = nil, systemFingerprint: String? = nil, fromCache: Bool = false, cacheKey: String? = nil) {
        self.sampleIndex = sampleIndex
        self.outcome = outcome
        self.text = text
        self.finishReason = finishReason
        self.resolvedModel = resolvedModel
        self.systemFingerprint = systemFingerprint
        self.fromCache = fromCache
        self.cacheKey = cacheKey
    }

    enum CodingKeys: String, CodingKey {
        case sampleIndex = "sample_index", outcome, text, finishReason = "finish_reason"
        case resolvedModel = "resolved_model", systemFingerprint = "system_fingerprint", fromCache = "from_cache", cacheKey = "cache_key"
    }
}

/// A judge's grade of one response.
public struct VerdictResult: Sendable, Codable, Equatable {
    /// 1 or 0; `nil` when the judge refused or stayed unparseable after re-asks.
    public var value: Int?
    /// The verdict as parsed ("True", "Partially Effective", …).
    public var label: String?
    /// The judge's whole answer.
    public var judgeText: String
    /// How many times the judge was asked.
    public var attempts: Int
    /// Whether the fallback judge gave this verdict.
    public var byFallbackJudge: Bool
    /// The response-cache key of the first ask, when its answer gave this verdict
    /// (refused or unparseable answers are never cached).
    public var cacheKey: String?

    /// Creates a verdict.
    public init(value: Int?, label: String?, judgeText: String, attempts: Int = 1, byFallbackJudge: Bool = false, cacheKey: String? = nil) {
        self.value = value
        self.label = label
        self.judgeText = judgeText
        self.attempts = attempts
        self.byFallbackJudge = byFallbackJudge
        self.cacheKey = cacheKey
    }

    enum CodingKeys: String, CodingKey {
        case value, label, judgeText = "judge_text", attempts, byFallbackJudge = "by_fallback_judge", cacheKey = "cache_key"
    }
}

/// Requests and tokens a lease spent, for reports and `budget_usd`.
public struct Usage: Sendable, Codable, Equatable {
    /// Requests sent to the provider (retries included).
    public var requests: Int
    /// Of those, retries.
    public var retries: Int
    /// Answers served from the cache instead.
    public var cacheHits: Int
    /// Input tokens the provider reported.
    public var inputTokens: Int
    /// Output tokens the provider reported.
    public var outputTokens: Int

    /// Creates a usage record.
    public init(requests: Int = 0, retries: Int = 0, cacheHits: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0) {
        self.requests = requests
        self.retries = retries
        self.cacheHits = cacheHits
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case requests, retries, cacheHits = "cache_hits", inputTokens = "input_tokens", outputTokens = "output_tokens"
    }
}

/// `POST /v1/results` item: a finished lease.
public struct JobResult: Sendable, Codable, Equatable {
    /// The lease it finishes.
    public var lease: LeaseReference
    /// generate/mcqa: the responses (generate: every sample not received before).
    public var samples: [SampleResult]
    /// Judge jobs: the verdict.
    public var verdict: VerdictResult?
    /// What the lease spent.
    public var usage: Usage

    /// Creates a result.
    public init(lease: LeaseReference, samples: [SampleResult] = [], verdict: VerdictResult? = nil, usage: Usage = Usage()) {
        self.lease = lease
        self.samples = samples
        self.verdict = verdict
        self.usage = usage
    }
}

/// `POST /v1/failures` item: a lease that ended without a result.
public struct JobFailure: Sendable, Codable, Equatable {
    /// The lease that failed.
    public var lease: LeaseReference
    /// Whether another attempt may succeed (429, 5xx, timeouts, …).
    public var retryable: Bool
    /// What went wrong, without secrets.
    public var error: String
    /// The provider's requested delay, when it gave one.
    public var retryAfterMilliseconds: Int?
    /// The provider pushed back (429/529): slow its endpoint down.
    public var throttled: Bool
    /// Samples received before the failure; kept for the next attempt.
    public var samples: [SampleResult]
    /// What the lease spent.
    public var usage: Usage
    /// `false` when the worker gave the job back rather than failed it (its
    /// retry would outlive the lease, or the worker is shutting down): no
    /// attempt is counted, and the samples are kept all the same.
    public var countsAsAttempt: Bool

    /// Creates a failure report.
    public init(lease: LeaseReference, retryable: Bool, error: String, retryAfterMilliseconds: Int? = nil,
                throttled: Bool = false, samples: [SampleResult] = [], usage: Usage = Usage(), countsAsAttempt: Bool = true) {
        self.lease = lease
        self.retryable = retryable
        self.error = error
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.throttled = throttled
        self.samples = samples
        self.usage = usage
        self.countsAsAttempt = countsAsAttempt
    }

    enum CodingKeys: String, CodingKey {
        case lease, retryable, error, retryAfterMilliseconds = "retry_after_ms", throttled, samples, usage
        case countsAsAttempt = "counts_as_attempt"
    }

    /// Reads a report; `counts_as_attempt` is optional (default `true`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(lease: try container.decode(LeaseReference.self, forKey: .lease), retryable: try container.decode(Bool.self, forKey: .retryable),
                  error: try container.decode(String.self, forKey: .error),
                  retryAfterMilliseconds: try container.decodeIfPresent(Int.self, forKey: .retryAfterMilliseconds),
                  throttled: try container.decode(Bool.self, forKey: .throttled),
                  samples: try container.decode([SampleResult].self, forKey: .samples), usage: try container.decode(Usage.self, forKey: .usage),
                  countsAsAttempt: try container.decodeIfPresent(Bool.self, forKey: .countsAsAttempt) ?? true)
    }
}
