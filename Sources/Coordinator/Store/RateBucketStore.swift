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

    /// DESIGN §4: `burst` defaults to one second's worth, `max(1, rpm/60)`,
    /// following the adaptive rate when no burst is configured.
    static func capacity(burst: Double?, rate: Double) -> Double {
        burst ?? max(1, rate / 60)
    }

    /// Takes up to `wanted` tokens at `now`, honouring a provider's pause.
    mutating func take(upTo wanted: Int, at now: Date) -> Int {
        if let throttledUntil, throttledUntil > now { return 0 }
        return bucket.take(upTo: wanted, at: now)
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
                try await save(locked, on: connection)
                if granted > 0 { grants.append((locked.id, granted)) }
                remaining -= granted
            }
            return grants
        }
    }

    /// Additive increase of adaptive rates after accepted requests, per bucket.
    static func recover(_ successes: [Int64: Int], pool: PostgresPool) async throws {
        guard !successes.isEmpty else { return }
        try await pool.withTransaction(durable: false) { connection in
            for (bucketID, count) in successes.sorted(by: { $0.key < $1.key }) {
                try await connection.query(RateBucketSQL.recover, [bucketID, count, AdaptiveRate.increasePerSuccess])
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
            buckets.append(LockedBucket(id: try row.decode(Int64.self, "id"), endpoint: endpoint, bucket: bucket, rate: rate,
                                        maxInFlight: try row.decode(Int?.self, "max_in_flight"),
                                        throttledUntil: try row.decode(Date?.self, "throttled_until")))
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
        ])
    }
}

enum RateBucketSQL {
    static let lock = """
        SELECT b.id, b.provider, b.base_url, b.model, b.configured_rpm, b.current_rpm, b.burst, b.tokens, b.refilled_at, b.max_in_flight,
               b.throttled_until, now() AS now
        FROM rate_buckets b
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
          ON b.provider = e.provider AND b.base_url = e.base_url AND b.model = e.model
        ORDER BY b.id
        FOR UPDATE OF b
        """
    static let lockByID = """
        SELECT b.id, b.provider, b.base_url, b.model, b.configured_rpm, b.current_rpm, b.burst, b.tokens, b.refilled_at,
               b.max_in_flight, b.throttled_until, now() AS now
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
    /// Unused tokens back, never above the bucket's capacity (as in `LockedBucket.capacity`).
    static let giveBack = """
        UPDATE rate_buckets SET tokens = LEAST(COALESCE(burst, GREATEST(1, current_rpm / 60)), tokens + $2::float8) WHERE id = $1
        """
    static let save = """
        UPDATE rate_buckets SET tokens = $2, refilled_at = $3, current_rpm = $4, throttled_until = $5 WHERE id = $1
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
    /// ($2 successes × $3 per success, capped at the configured rate).
    static let recover = """
        UPDATE rate_buckets SET current_rpm = LEAST(COALESCE(configured_rpm, 'Infinity'::float8), current_rpm + $2::float8 * $3::float8)
        WHERE id = $1 AND current_rpm < COALESCE(configured_rpm, 'Infinity'::float8)
        """
}
