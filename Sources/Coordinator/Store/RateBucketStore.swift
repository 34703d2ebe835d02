import Foundation
import Shared

/// One `rate_buckets` row, locked inside the caller's transaction, for
/// permits (leases take their tokens in `RateBucketSQL.take`).
struct LockedBucket {
    var id: Int64
    var endpoint: EndpointKey
    var bucket: TokenBucket
    var rate: AdaptiveRate
    var maxInFlight: Int?
    var throttledUntil: Date?
    /// Model tokens per minute, when the endpoint has a `tpm`.
    var tokenBudget: TokenBucket?
    /// What one request is estimated to spend of `tokenBudget`.
    var tokensPerRequest: Double

    /// Takes up to `wanted` request tokens at `now`, honouring a provider's
    /// pause and, with a `tpm`, charging each request's estimated model tokens.
    mutating func take(upTo wanted: Int, at now: Date) -> Int {
        if let throttledUntil, throttledUntil > now { return 0 }
        var affordable = wanted
        if var budget = tokenBudget {
            budget = budget.refilled(at: now)
            // In Double first: a bucket deep in debt must not trap the conversion.
            affordable = Int(max(0, min(Double(wanted), (budget.tokens / tokensPerRequest).rounded(.down))))
            tokenBudget = budget
        }
        let granted = bucket.take(upTo: affordable, at: now)
        tokenBudget?.tokens -= Double(granted) * tokensPerRequest
        return granted
    }

    /// How long until one more request can be granted.
    func timeUntilNextGrant(at now: Date) -> TimeInterval {
        let pause = throttledUntil.map { max(0, $0.timeIntervalSince(now)) } ?? 0
        var wait = bucket.timeUntilNextToken(at: now)
        if let budget = tokenBudget?.refilled(at: now), budget.tokens < tokensPerRequest {
            wait = max(wait, (tokensPerRequest - budget.tokens) * 60 / budget.ratePerMinute)
        }
        // An hour at most: a bucket deep in debt must not overflow a caller's milliseconds.
        return min(max(pause, wait), 3600)
    }
}

/// Reads and writes rate buckets. Every write but one runs in a short
/// transaction of its own that does not wait for the WAL flush: bucket rows
/// are shared by every claimer, so their locks are held for one round trip,
/// never across a claim or an fsync. The exception is a throttle (a 429 or
/// 529), which `JobStore.fail` applies in the failure's own transaction, so
/// that the job's requeue and the endpoint's slow-down commit together; its
/// bucket lock lasts until that commit.
enum RateBucketStore {
    /// The token take of lease request `grant`: one request token per job,
    /// `total` at most, from the buckets of `endpoints` that have runnable
    /// work, written to `lease_grants` for the claim that follows in the same
    /// round trip (see `RateBucketSQL.take`).
    static func take(_ endpoints: [EndpointKey], total: Int, grant: UUID) -> PipelinedTransaction {
        PipelinedTransaction(
            durable: false, genericPlans: true,
            [
                PostgresStatement(
                    RateBucketSQL.take,
                    [
                        PostgresTextArray(endpoints.map(\.provider.rawValue)), PostgresTextArray(endpoints.map(\.baseURL)),
                        PostgresTextArray(endpoints.map(\.model)), total, grant,
                    ])
            ])
    }

    /// The tokens of lease request `grant` its claim did not use, back (`RateBucketSQL.giveBackUnclaimed`).
    static func giveBackUnclaimed(_ grant: UUID) -> PipelinedTransaction {
        PipelinedTransaction(durable: false, [PostgresStatement(RateBucketSQL.giveBackUnclaimed, [grant])])
    }

    /// After accepted results, per bucket: additive increase of adaptive
    /// rates, and the reported model tokens settled against the estimate
    /// charged (`RateBucketSQL.settle`); `nil` when nothing was spent.
    static func settleStatement(_ spent: [Int64: BucketSpending]) -> PostgresStatement? {
        let buckets = spent.filter { $0.value.requests > 0 }.sorted { $0.key < $1.key }
        guard !buckets.isEmpty else { return nil }
        return PostgresStatement(
            RateBucketSQL.settle,
            [
                PostgresTextArray(buckets.map { String($0.key) }), PostgresTextArray(buckets.map { String($0.value.requests) }),
                AdaptiveRate.increasePerSuccess, PostgresTextArray(buckets.map { String($0.value.modelTokens) }),
                AdaptiveRate.probeIncreasePerSuccess,
            ])
    }

    /// Applies the usable limits workers saw stated for buckets
    /// (`RateBucketSQL.learn`); `nil` when none were stated.
    static func learnStatement(_ stated: [(bucketID: Int64, limits: ProviderLimits)]) -> PostgresStatement? {
        let stated = stated.map { (bucketID: $0.bucketID, limits: $0.limits.usable) }.filter { !$0.limits.isEmpty }
        guard !stated.isEmpty else { return nil }
        return PostgresStatement(
            RateBucketSQL.learn,
            [
                PostgresTextArray(stated.map { String($0.bucketID) }),
                PostgresNullableTextArray(stated.map { $0.limits.requestsPerMinute.map(String.init) }),
                PostgresNullableTextArray(stated.map { $0.limits.tokensPerMinute.map(String.init) }),
            ])
    }

    /// Each of `statements` as a transaction of its own that does not wait
    /// for the WAL flush (bucket rows are soft state, and their locks must
    /// not wait on an fsync, nor one statement's locks on another's), to
    /// follow a durable transaction in its round trip
    /// (`PostgresConnection.pipeline(_:then:)`).
    static func softTransactions(_ statements: [PostgresStatement?]) -> [PostgresStatement] {
        statements.compactMap { $0 }.flatMap { statement in
            [PostgresStatement("BEGIN")] + PipelinedTransaction(durable: false, [statement]).settings + [statement, .commit]
        }
    }

    /// Applies the limits workers saw stated for buckets (`RateBucketSQL.learn`).
    static func learn(_ stated: [(bucketID: Int64, limits: ProviderLimits)], pool: PostgresPool) async throws {
        guard let statement = learnStatement(stated) else { return }
        _ = try await pool.transaction(durable: false, [statement])
    }

    /// Deletes grants a broken lease round trip left behind; returns how many.
    static func deleteStaleGrants(pool: PostgresPool) async throws -> Int {
        try await pool.query(RateBucketSQL.deleteStaleGrants).affectedRows
    }

    /// Locks the buckets of `endpoints` (in id order, so concurrent claimers
    /// never deadlock) and returns them refilled to `now`, the database's clock.
    static func lock(_ endpoints: [EndpointKey], on connection: PostgresConnection) async throws -> (buckets: [LockedBucket], now: Date) {
        try decode(
            try await connection.query(
                RateBucketSQL.lock,
                [
                    PostgresTextArray(endpoints.map(\.provider.rawValue)), PostgresTextArray(endpoints.map(\.baseURL)),
                    PostgresTextArray(endpoints.map(\.model)),
                ]))
    }

    private static func decode(_ rows: PostgresRows) throws -> (buckets: [LockedBucket], now: Date) {
        var now = Date()
        var buckets: [LockedBucket] = []
        for row in rows {
            now = try row.decode(Date.self, "now")
            let rate = AdaptiveRate(configured: try row.decode(Double?.self, "configured_rpm"), current: try row.decode(Double.self, "current_rpm"))
            let burst = try row.decode(Double?.self, "burst")
            let bucket = TokenBucket(
                tokens: try row.decode(Double.self, "tokens"), refilledAt: try row.decode(Date.self, "refilled_at"),
                ratePerMinute: rate.current, capacity: TokenBucket.capacity(burst: burst, ratePerMinute: rate.current))
            let endpoint = EndpointKey(
                provider: try row.decode(Provider.self, "provider"),
                baseURL: try row.decode(String.self, "base_url"), model: try row.decode(String.self, "model"))
            let perRequest = try row.decode(Double.self, "tokens_per_request")
            let tokenBudget = try row.decode(Double?.self, "tpm").map { tpm in
                TokenBucket(
                    tokens: try row.decode(Double.self, "tpm_tokens"), refilledAt: try row.decode(Date.self, "tpm_refilled_at"),
                    ratePerMinute: tpm, capacity: TokenBucket.tokenCapacity(tpm: tpm, tokensPerRequest: perRequest))
            }
            buckets.append(
                LockedBucket(
                    id: try row.decode(Int64.self, "id"), endpoint: endpoint, bucket: bucket, rate: rate,
                    maxInFlight: try row.decode(Int?.self, "max_in_flight"),
                    throttledUntil: try row.decode(Date?.self, "throttled_until"),
                    tokenBudget: tokenBudget, tokensPerRequest: perRequest))
        }
        return (buckets, now)
    }

    /// Writes the bucket's tokens, rate and pause back.
    static func save(_ locked: LockedBucket, on connection: PostgresConnection) async throws {
        try await connection.query(
            RateBucketSQL.save,
            [
                locked.id, locked.bucket.tokens, locked.bucket.refilledAt, locked.rate.current, locked.throttledUntil,
                locked.tokenBudget?.tokens, locked.tokenBudget?.refilledAt,
            ])
    }
}

/// What accepted results spent on one bucket.
struct BucketSpending {
    var requests = 0
    /// Input and output tokens reported; 0 when the provider did not say.
    var modelTokens = 0
}
