import Foundation
import Shared

/// One `rate_buckets` row, locked inside the caller's transaction.
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

    /// docs/architecture.md, "Rate limits": `burst` defaults to one second's worth, `max(1, rpm/60)`,
    /// following the adaptive rate when no burst is configured.
    static func capacity(burst: Double?, rate: Double) -> Double {
        burst ?? max(1, rate / 60)
    }

    /// Ten seconds of a `tpm`, and never less than one request's estimate.
    static func tokenCapacity(tpm: Double, tokensPerRequest: Double) -> Double {
        max(tpm / 6, tokensPerRequest)
    }

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

/// Reads and writes rate buckets. `take` and `giveBack` run their own short
/// transactions: bucket rows are shared by every claimer, so their locks are
/// held for a few statements, never across a claim or an fsync.
enum RateBucketStore {
    /// Takes tokens from each bucket for up to its `wanted` jobs, `total` at
    /// most, within each bucket's `max_in_flight`.
    static func take(_ wanted: [(bucketID: Int64, jobs: Int)], total: Int, pool: PostgresPool) async throws -> [(bucketID: Int64, tokens: Int)] {
        try await pool.withTransaction(durable: false) { connection in
            let (buckets, now) = try await lock(ids: wanted.map(\.bucketID), on: connection)
            let limited = buckets.filter { $0.maxInFlight != nil }.map(\.id)
            let inFlight = limited.isEmpty ? [:] : try await self.inFlight(limited, on: connection)
            let wants = Dictionary(wanted.map { ($0.bucketID, $0.jobs) }, uniquingKeysWith: +)
            var remaining = total
            var grants: [(Int64, Int)] = []
            for var locked in buckets where remaining > 0 {
                let room = locked.maxInFlight.map { max(0, $0 - (inFlight[locked.id] ?? 0)) } ?? remaining
                let granted = locked.take(upTo: min(remaining, room, wants[locked.id] ?? 0), at: now)
                // Refilling alone changes nothing worth a write: the stored
                // state refills to the same tokens later (the cap composes).
                guard granted > 0 else { continue }
                try await save(locked, on: connection)
                grants.append((locked.id, granted))
                remaining -= granted
            }
            return grants
        }
    }

    /// After accepted results, per bucket: additive increase of adaptive
    /// rates, and the reported model tokens settled against the estimate charged.
    static func settle(_ spent: [Int64: BucketSpending], pool: PostgresPool) async throws {
        guard !spent.isEmpty else { return }
        try await pool.withTransaction(durable: false) { connection in
            for (bucketID, spending) in spent.sorted(by: { $0.key < $1.key }) {
                try await connection.query(RateBucketSQL.settle, [bucketID, spending.requests, AdaptiveRate.increasePerSuccess, spending.modelTokens])
            }
        }
    }

    /// Returns tokens that found no job.
    static func giveBack(_ unused: [(bucketID: Int64, tokens: Int)], pool: PostgresPool) async throws {
        let unused = unused.filter { $0.tokens > 0 }
        guard !unused.isEmpty else { return }
        try await pool.withTransaction(durable: false) { connection in
            for (bucketID, tokens) in unused {
                try await connection.query(RateBucketSQL.giveBack, [bucketID, tokens])
            }
        }
    }

    /// Locks the buckets of `endpoints` (in id order, so concurrent claimers
    /// never deadlock) and returns them refilled to `now`, the database's clock.
    static func lock(_ endpoints: [EndpointKey], on connection: PostgresConnection) async throws -> (buckets: [LockedBucket], now: Date) {
        try decode(try await connection.query(RateBucketSQL.lock, [
            PostgresTextArray(endpoints.map(\.provider.rawValue)), PostgresTextArray(endpoints.map(\.baseURL)),
            PostgresTextArray(endpoints.map(\.model)),
        ]))
    }

    /// Locks the buckets `ids`, in id order.
    static func lock(ids: [Int64], on connection: PostgresConnection) async throws -> (buckets: [LockedBucket], now: Date) {
        try decode(try await connection.query(RateBucketSQL.lockByID, [PostgresTextArray(ids.map(String.init))]))
    }

    private static func decode(_ rows: PostgresRows) throws -> (buckets: [LockedBucket], now: Date) {
        var now = Date()
        var buckets: [LockedBucket] = []
        for row in rows {
            now = try row.decode(Date.self, "now")
            let rate = AdaptiveRate(configured: try row.decode(Double?.self, "configured_rpm"), current: try row.decode(Double.self, "current_rpm"))
            let burst = try row.decode(Double?.self, "burst")
            let bucket = TokenBucket(tokens: try row.decode(Double.self, "tokens"), refilledAt: try row.decode(Date.self, "refilled_at"),
                                     ratePerMinute: rate.current, capacity: LockedBucket.capacity(burst: burst, rate: rate.current))
            let endpoint = EndpointKey(provider: Provider(rawValue: try row.decode(String.self, "provider")) ?? .openai,
                                       baseURL: try row.decode(String.self, "base_url"), model: try row.decode(String.self, "model"))
            let perRequest = try row.decode(Double.self, "tokens_per_request")
            let tokenBudget = try row.decode(Double?.self, "tpm").map { tpm in
                TokenBucket(tokens: try row.decode(Double.self, "tpm_tokens"), refilledAt: try row.decode(Date.self, "tpm_refilled_at"),
                            ratePerMinute: tpm, capacity: LockedBucket.tokenCapacity(tpm: tpm, tokensPerRequest: perRequest))
            }
            buckets.append(LockedBucket(id: try row.decode(Int64.self, "id"), endpoint: endpoint, bucket: bucket, rate: rate,
                                        maxInFlight: try row.decode(Int?.self, "max_in_flight"),
                                        throttledUntil: try row.decode(Date?.self, "throttled_until"),
                                        tokenBudget: tokenBudget, tokensPerRequest: perRequest))
        }
        return (buckets, now)
    }

    /// Leased jobs per bucket, for `max_in_flight`.
    static func inFlight(_ bucketIDs: [Int64], on connection: PostgresConnection) async throws -> [Int64: Int] {
        let rows = try await connection.query(RateBucketSQL.inFlight, [PostgresTextArray(bucketIDs.map(String.init))])
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(Int64.self, "bucket_id"), try $0.decode(Int.self, "n")) })
    }

    /// Writes the bucket's tokens, rate and pause back.
    static func save(_ locked: LockedBucket, on connection: PostgresConnection) async throws {
        try await connection.query(RateBucketSQL.save, [
            locked.id, locked.bucket.tokens, locked.bucket.refilledAt, locked.rate.current, locked.throttledUntil,
            locked.tokenBudget?.tokens, locked.tokenBudget?.refilledAt,
        ])
    }
}

enum RateBucketSQL {
    static let lock = """
        SELECT b.id, b.provider, b.base_url, b.model, b.configured_rpm, b.current_rpm, b.burst, b.tokens, b.refilled_at, b.max_in_flight,
               b.throttled_until, b.tpm, b.tpm_tokens, b.tpm_refilled_at, b.tokens_per_request, now() AS now
        FROM rate_buckets b
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
          ON b.provider = e.provider AND b.base_url = e.base_url AND b.model = e.model
        ORDER BY b.id
        FOR UPDATE OF b
        """
    static let lockByID = """
        SELECT b.id, b.provider, b.base_url, b.model, b.configured_rpm, b.current_rpm, b.burst, b.tokens, b.refilled_at,
               b.max_in_flight, b.throttled_until, b.tpm, b.tpm_tokens, b.tpm_refilled_at, b.tokens_per_request, now() AS now
        FROM rate_buckets b WHERE b.id = ANY($1::bigint[])
        ORDER BY b.id
        FOR UPDATE OF b
        """
    static let inFlight = """
        SELECT m.rate_bucket_id AS bucket_id, count(*) AS n
        FROM jobs j JOIN models m ON m.id = j.model_id
        WHERE j.state = 'leased' AND m.rate_bucket_id = ANY($1::bigint[])
        GROUP BY m.rate_bucket_id
        """
    /// Unused tokens back (and their model-token charge), never above the
    /// capacities of `LockedBucket.capacity` and `LockedBucket.tokenCapacity`.
    static let giveBack = """
        UPDATE rate_buckets SET tokens = LEAST(COALESCE(burst, GREATEST(1, current_rpm / 60)), tokens + $2::float8),
               tpm_tokens = CASE WHEN tpm IS NULL THEN tpm_tokens
                                 ELSE LEAST(GREATEST(tpm / 6, tokens_per_request), tpm_tokens + $2::float8 * tokens_per_request) END
        WHERE id = $1
        """
    static let save = """
        UPDATE rate_buckets SET tokens = $2, refilled_at = $3, current_rpm = $4, throttled_until = $5,
               tpm_tokens = COALESCE($6::float8, tpm_tokens), tpm_refilled_at = COALESCE($7::timestamptz, tpm_refilled_at)
        WHERE id = $1
        """
    /// Creates the endpoint's bucket or applies the sweep's operational
    /// settings to it; a configured rate takes effect at once.
    static let upsert = """
        INSERT INTO rate_buckets (provider, base_url, model, configured_rpm, current_rpm, tpm, burst, tokens, max_in_flight)
        VALUES ($1, $2, $3, $4::float8, COALESCE($4::float8, $7::float8), $5::float8, $6::float8, 1, $8::integer)
        ON CONFLICT (provider, base_url, model) DO UPDATE SET
            configured_rpm = EXCLUDED.configured_rpm,
            current_rpm = COALESCE(EXCLUDED.configured_rpm, rate_buckets.current_rpm),
            tpm = EXCLUDED.tpm, burst = EXCLUDED.burst, max_in_flight = EXCLUDED.max_in_flight
        RETURNING id
        """
    /// Additive increase after successes, as in `AdaptiveRate.succeeded`
    /// ($2 requests × $3 per success, or × $5 before the endpoint's first
    /// throttle, capped at the configured rate); with a
    /// `tpm`, the $4 model tokens reported replace the estimate charged for
    /// the $2 requests (never below a minute's debt), and the estimate moves
    /// toward what was reported.
    static let settle = """
        UPDATE rate_buckets SET
            current_rpm = LEAST(COALESCE(configured_rpm, 'Infinity'::float8),
                                current_rpm + $2::float8 * $3::float8),
            tpm_tokens = CASE WHEN tpm IS NULL OR $4::float8 <= 0 THEN tpm_tokens
                              ELSE GREATEST(-tpm, tpm_tokens - ($4::float8 - $2::float8 * tokens_per_request)) END,
            tokens_per_request = CASE WHEN $4::float8 <= 0 OR $2::float8 <= 0 THEN tokens_per_request
                                      ELSE 0.8 * tokens_per_request + 0.2 * ($4::float8 / $2::float8) END
        WHERE id = $1
        """
}

/// What accepted results spent on one bucket.
struct BucketSpending {
    var requests = 0
    /// Input and output tokens reported; 0 when the provider did not say.
    var modelTokens = 0
}
