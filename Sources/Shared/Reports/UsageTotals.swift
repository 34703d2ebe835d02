/// What a group of jobs used, summed over every lease: the `usage` object (docs/protocol.md, "The report").
public struct UsageTotals: Sendable, Equatable, Codable {
    /// Requests sent to the provider (first tries, retries, per-sample requests, re-asks), live and through batches.
    public var requests: Int
    /// Requests that repeated an earlier one.
    public var retries: Int
    /// Answers served from the response cache instead of the provider.
    public var cacheHits: Int
    /// Input tokens the provider reported.
    public var inputTokens: Int
    /// Output tokens the provider reported.
    public var outputTokens: Int
    /// Of `requests`, those answered through a provider's batch API (billed at the batch discount).
    public var batchRequests: Int
    /// What was billed at the model's prices when the usage was recorded, batch discount applied; 0 without prices.
    public var costUSD: Double

    /// Creates totals.
    public init(
        requests: Int = 0, retries: Int = 0, cacheHits: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0,
        batchRequests: Int = 0, costUSD: Double = 0
    ) {
        self.requests = requests
        self.retries = retries
        self.cacheHits = cacheHits
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.batchRequests = batchRequests
        self.costUSD = costUSD
    }

    /// The sum of two totals.
    public static func + (left: UsageTotals, right: UsageTotals) -> UsageTotals {
        UsageTotals(
            requests: left.requests + right.requests, retries: left.retries + right.retries,
            cacheHits: left.cacheHits + right.cacheHits, inputTokens: left.inputTokens + right.inputTokens,
            outputTokens: left.outputTokens + right.outputTokens, batchRequests: left.batchRequests + right.batchRequests,
            costUSD: left.costUSD + right.costUSD)
    }

    enum CodingKeys: String, CodingKey {
        case requests, retries, cacheHits = "cache_hits", inputTokens = "input_tokens"
        case outputTokens = "output_tokens", batchRequests = "batch_requests", costUSD = "cost_usd"
    }

    /// Reads totals; `batch_requests` is optional (0 in reports from coordinators before batch mode).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            requests: try container.decode(Int.self, forKey: .requests), retries: try container.decode(Int.self, forKey: .retries),
            cacheHits: try container.decode(Int.self, forKey: .cacheHits), inputTokens: try container.decode(Int.self, forKey: .inputTokens),
            outputTokens: try container.decode(Int.self, forKey: .outputTokens),
            batchRequests: try container.decodeIfPresent(Int.self, forKey: .batchRequests) ?? 0,
            costUSD: try container.decode(Double.self, forKey: .costUSD))
    }
}
