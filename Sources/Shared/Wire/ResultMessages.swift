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
    public init(
        sampleIndex: Int, outcome: ResponseOutcome, text: String, finishReason: String? = nil,
        resolvedModel: String? = nil, systemFingerprint: String? = nil, fromCache: Bool = false, cacheKey: String? = nil
    ) {
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

    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        writer.key(CodingKeys.sampleIndex)
        writer.int(sampleIndex)
        writer.key(CodingKeys.outcome)
        writer.string(outcome.rawValue)
        writer.key(CodingKeys.text)
        writer.string(text)
        writer.member(CodingKeys.finishReason, finishReason)
        writer.member(CodingKeys.resolvedModel, resolvedModel)
        writer.member(CodingKeys.systemFingerprint, systemFingerprint)
        writer.key(CodingKeys.fromCache)
        writer.bool(fromCache)
        writer.member(CodingKeys.cacheKey, cacheKey)
        writer.endObject()
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

    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        writer.member(CodingKeys.value, value)
        writer.member(CodingKeys.label, label)
        writer.key(CodingKeys.judgeText)
        writer.string(judgeText)
        writer.key(CodingKeys.attempts)
        writer.int(attempts)
        writer.key(CodingKeys.byFallbackJudge)
        writer.bool(byFallbackJudge)
        writer.member(CodingKeys.cacheKey, cacheKey)
        writer.endObject()
    }
}

/// Requests and tokens a lease spent, for reports and `budget_usd`.
public struct Usage: Sendable, Codable, Equatable {
    /// Requests sent to the provider (retries included), live and through batches.
    public var requests: Int
    /// Of those, retries.
    public var retries: Int
    /// Answers served from the cache instead.
    public var cacheHits: Int
    /// Input tokens the provider reported, live and through batches.
    public var inputTokens: Int
    /// Output tokens the provider reported, live and through batches.
    public var outputTokens: Int
    /// Of `requests`, those answered through a provider's batch API (billed at its discount).
    public var batchRequests: Int
    /// Of `inputTokens`, those of batch requests.
    public var batchInputTokens: Int
    /// Of `outputTokens`, those of batch requests.
    public var batchOutputTokens: Int

    /// Creates a usage record.
    public init(
        requests: Int = 0, retries: Int = 0, cacheHits: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0,
        batchRequests: Int = 0, batchInputTokens: Int = 0, batchOutputTokens: Int = 0
    ) {
        self.requests = requests
        self.retries = retries
        self.cacheHits = cacheHits
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.batchRequests = batchRequests
        self.batchInputTokens = batchInputTokens
        self.batchOutputTokens = batchOutputTokens
    }

    enum CodingKeys: String, CodingKey {
        case requests, retries, cacheHits = "cache_hits", inputTokens = "input_tokens", outputTokens = "output_tokens"
        case batchRequests = "batch_requests", batchInputTokens = "batch_input_tokens", batchOutputTokens = "batch_output_tokens"
    }

    /// Reads a usage record; the batch counts are optional (0 when absent).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        self.init(
            requests: try container.decode(Int.self, forKey: .requests), retries: try container.decode(Int.self, forKey: .retries),
            cacheHits: try container.decode(Int.self, forKey: .cacheHits), inputTokens: try container.decode(Int.self, forKey: .inputTokens),
            outputTokens: try container.decode(Int.self, forKey: .outputTokens), batchRequests: try count(.batchRequests),
            batchInputTokens: try count(.batchInputTokens), batchOutputTokens: try count(.batchOutputTokens))
    }

    /// What this usage costs at `price`: batch tokens at the batch discount.
    public func cost(at price: Price) -> Double {
        let full = Double(inputTokens) * price.inputPerMTok + Double(outputTokens) * price.outputPerMTok
        let batched = Double(batchInputTokens) * price.inputPerMTok + Double(batchOutputTokens) * price.outputPerMTok
        return (full - batched * price.batchDiscount) / 1_000_000
    }

    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        for (key, count) in [
            (CodingKeys.requests, requests), (.retries, retries), (.cacheHits, cacheHits),
            (.inputTokens, inputTokens), (.outputTokens, outputTokens), (.batchRequests, batchRequests),
            (.batchInputTokens, batchInputTokens), (.batchOutputTokens, batchOutputTokens),
        ] {
            writer.key(key)
            writer.int(count)
        }
        writer.endObject()
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
    /// The limits the job's endpoint stated in its latest response headers, if any.
    public var limits: ProviderLimits?

    /// Creates a result.
    public init(
        lease: LeaseReference, samples: [SampleResult] = [], verdict: VerdictResult? = nil, usage: Usage = Usage(), limits: ProviderLimits? = nil
    ) {
        self.lease = lease
        self.samples = samples
        self.verdict = verdict
        self.usage = usage
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case lease, samples, verdict, usage, limits
    }

    /// A `POST /v1/results` body, `{"items": [...]}`, written without
    /// `JSONEncoder`: workers send one per finished batch.
    public static func batchJSON(_ results: [JobResult]) -> [UInt8] {
        var writer = JSONBytesWriter()
        writer.beginObject()
        writer.key(BatchKey.items)
        writer.beginArray()
        for result in results {
            writer.beginObject()
            writer.key(CodingKeys.lease)
            result.lease.write(to: &writer)
            writer.key(CodingKeys.samples)
            writer.beginArray()
            for sample in result.samples { sample.write(to: &writer) }
            writer.endArray()
            if let verdict = result.verdict {
                writer.key(CodingKeys.verdict)
                verdict.write(to: &writer)
            }
            writer.key(CodingKeys.usage)
            result.usage.write(to: &writer)
            if let limits = result.limits {
                writer.key(CodingKeys.limits)
                limits.write(to: &writer)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
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
    /// The limits the job's endpoint stated in its latest response headers (a 429's included), if any.
    public var limits: ProviderLimits?

    /// Creates a failure report.
    public init(
        lease: LeaseReference, retryable: Bool, error: String, retryAfterMilliseconds: Int? = nil,
        throttled: Bool = false, samples: [SampleResult] = [], usage: Usage = Usage(), countsAsAttempt: Bool = true,
        limits: ProviderLimits? = nil
    ) {
        self.lease = lease
        self.retryable = retryable
        self.error = error
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.throttled = throttled
        self.samples = samples
        self.usage = usage
        self.countsAsAttempt = countsAsAttempt
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case lease, retryable, error, retryAfterMilliseconds = "retry_after_ms", throttled, samples, usage
        case countsAsAttempt = "counts_as_attempt", limits
    }

    /// Reads a report; `counts_as_attempt` is optional (default `true`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            lease: try container.decode(LeaseReference.self, forKey: .lease), retryable: try container.decode(Bool.self, forKey: .retryable),
            error: try container.decode(String.self, forKey: .error),
            retryAfterMilliseconds: try container.decodeIfPresent(Int.self, forKey: .retryAfterMilliseconds),
            throttled: try container.decode(Bool.self, forKey: .throttled),
            samples: try container.decode([SampleResult].self, forKey: .samples), usage: try container.decode(Usage.self, forKey: .usage),
            countsAsAttempt: try container.decodeIfPresent(Bool.self, forKey: .countsAsAttempt) ?? true,
            limits: try container.decodeIfPresent(ProviderLimits.self, forKey: .limits))
    }
}
