import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Leases take rate tokens in SQL (one statement, see `RateBucketSQL.take`);
/// permits take them in Swift (`TokenBucket`). These tests hold the two forms
/// of the bucket rules to the same answers on a table of cases.
@Suite struct RateBucketRulesTests {
    @Test func capacityAndRefillAgreeBetweenSQLAndSwift() async throws {
        let pool = try await TestDatabase.pool(suite: "bucket_rules_arithmetic")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        // (tokens, seconds since the last refill, rpm, burst); times exact in
        // binary, so the database's microseconds hold them unrounded.
        let cases: [(Double, Double, Double, Double?)] = [
            (0, 0, 60, nil), (0, 2.5, 60, nil), (0, 3600, 60, nil), (0.25, 0.5, 600, 10), (9.5, 1, 600, 10),
            (-4, 1.5, 120, 3), (50, 0, 600, 10), (1, -5, 600, 10), (0, 0.5, 1e6, 1e9), (2, 30, 30, nil),
        ]
        for (tokens, elapsed, rpm, burst) in cases {
            let now = start.addingTimeInterval(elapsed)
            let capacity = TokenBucket.capacity(burst: burst, ratePerMinute: rpm)
            let swift = TokenBucket(tokens: tokens, refilledAt: start, ratePerMinute: rpm, capacity: capacity).refilled(at: now).tokens
            let row = try await pool.query(
                """
                SELECT siuo_bucket_capacity($1::float8, $2::float8) AS capacity,
                       siuo_bucket_refill($3::float8, $4::timestamptz, $2::float8, siuo_bucket_capacity($1::float8, $2::float8), $5::timestamptz) AS tokens
                """, [burst, rpm, tokens, start, now])[0]
            #expect(try row.decode(Double.self, "capacity") == capacity, "capacity for burst \(String(describing: burst)), rpm \(rpm)")
            #expect(abs(try row.decode(Double.self, "tokens") - swift) < 1e-6, "refill of \(tokens) after \(elapsed) s at \(rpm)/min")
        }
        for (tpm, perRequest) in [(60_000.0, 2000.0), (600.0, 2000.0), (1e9, 1.0)] {
            let row = try await pool.query("SELECT siuo_tpm_capacity($1::float8, $2::float8) AS capacity", [tpm, perRequest])[0]
            #expect(try row.decode(Double.self, "capacity") == TokenBucket.tokenCapacity(tpm: tpm, tokensPerRequest: perRequest))
        }
    }

    /// One bucket state: what a lease request for `wanted` jobs and a permit
    /// request for `wanted` requests must each be granted from it.
    struct BucketCase: Sendable, CustomStringConvertible {
        var tokens: Double
        var burst: Double
        var tpm: Double?
        var tpmTokens: Double = 0
        var paused = false
        var wanted: Int
        var granted: Int

        var description: String {
            "tokens \(tokens), burst \(burst), tpm \(String(describing: tpm)) holding \(tpmTokens), paused \(paused), wanted \(wanted)"
        }
    }

    @Test func leasesAndPermitsGrantAlikeFromTheSameBucketState() async throws {
        let pool = try await TestDatabase.pool(suite: "bucket_rules_grants")
        try await SweepFixture.importDataset(pool, cases: 12)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 600, burst: 10)
        try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let endpoint = definition.models[0].endpointKey
        let cases = [
            BucketCase(tokens: 3.7, burst: 10, wanted: 9, granted: 3),
            BucketCase(tokens: 0.5, burst: 10, wanted: 9, granted: 0),
            BucketCase(tokens: -2, burst: 10, wanted: 9, granted: 0),
            BucketCase(tokens: 50, burst: 10, wanted: 12, granted: 10),  // never above the capacity
            BucketCase(tokens: 8, burst: 10, wanted: 5, granted: 5),
            BucketCase(tokens: 100, burst: 100, tpm: 60_000, tpmTokens: 10_000, wanted: 9, granted: 5),  // 2,000 tokens a request
            BucketCase(tokens: 100, burst: 100, tpm: 60_000, tpmTokens: -500, wanted: 9, granted: 0),
            BucketCase(tokens: 100, burst: 100, tpm: 600, tpmTokens: 2000, wanted: 9, granted: 1),  // capacity: one request's estimate
            BucketCase(tokens: 10, burst: 10, paused: true, wanted: 9, granted: 0),
        ]
        for bucketCase in cases {
            var answers: [Int] = []
            for path in ["lease", "permit"] {
                // Frozen in time: a refill date in the future adds nothing, whatever the machine's speed.
                try await pool.query(
                    """
                    UPDATE rate_buckets SET tokens = $1, burst = $2, tpm = $3, tpm_tokens = $4, tokens_per_request = 2000,
                           refilled_at = now() + interval '1 hour', tpm_refilled_at = now() + interval '1 hour',
                           throttled_until = CASE WHEN $5::boolean THEN now() + interval '1 hour' END
                    WHERE model = 'model-0'
                    """, [bucketCase.tokens, bucketCase.burst, bucketCase.tpm, bucketCase.tpmTokens, bucketCase.paused])
                if path == "lease" {
                    let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: [endpoint], maxJobs: bucketCase.wanted))
                    answers.append(leases.count)
                    _ = try await jobs.release(leases.map(\.reference))
                } else {
                    answers.append(try await jobs.grantPermits([PermitRequest(endpoint: endpoint, count: bucketCase.wanted)])[0].granted)
                }
                let left = try await pool.query("SELECT tokens FROM rate_buckets WHERE model = 'model-0'")[0].decode(Double.self, "tokens")
                if answers.last! > 0 {
                    #expect(abs(left - (min(bucketCase.tokens, bucketCase.burst) - Double(answers.last!))) < 1e-9, "\(path): \(bucketCase)")
                }
            }
            #expect(answers == [bucketCase.granted, bucketCase.granted], "\(bucketCase)")
        }
    }
}
