import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Limits a provider states in its headers reach the endpoint's bucket
/// through results and failures (docs/architecture.md, "Rate limits").
@Suite struct LearnedLimitsTests {
    static func bucket(_ pool: PostgresPool) async throws -> (rpm: Double, tpm: Double?, source: String, learned: Double?) {
        let row = try await pool.query(
            "SELECT current_rpm, tpm, learned_rpm, siuo_limit_source(configured_rpm, learned_rpm) AS source FROM rate_buckets WHERE model = 'model-0'"
        )[0]
        return (
            try row.decode(Double.self, "current_rpm"), try row.decode(Double?.self, "tpm"), try row.decode(String.self, "source"),
            try row.decode(Double?.self, "learned_rpm")
        )
    }

    static func finish(_ pool: PostgresPool, _ definition: SweepDefinition, limits: ProviderLimits?, count: Int = 1) async throws {
        let jobs = JobStore(pool: pool)
        // Tokens enough for the claim, request and model tokens both: these tests are about the rates,
        // not the grants (a token limit just learned starts its budget empty, and a fast machine would
        // ask again before it refilled enough for one request).
        try await pool.query(
            "UPDATE rate_buckets SET tokens = 100, burst = 100, refilled_at = now(), tpm_tokens = COALESCE(tpm, tpm_tokens), tpm_refilled_at = now()")
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: count))
        var results = leases.map { SweepFixture.result(for: $0) }
        for index in results.indices { results[index].limits = limits }
        _ = try await jobs.complete(results)
    }

    @Test func theFirstStatedLimitSetsTheRateJustBelowItAndChangesAreFollowed() async throws {
        let pool = try await TestDatabase.pool(suite: "learned_limits")
        try await SweepFixture.importDataset(pool, cases: 6)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: nil, burst: nil)
        try await SweepStore(pool: pool).submit(definition)
        #expect(try await Self.bucket(pool).source == "probed")

        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: 1000, tokensPerMinute: 200_000))
        var bucket = try await Self.bucket(pool)
        #expect(abs(bucket.rpm - 950) < 1e-6, "\(bucket)")
        #expect(abs((bucket.tpm ?? 0) - 190_000) < 1e-3 && bucket.source == "headers", "\(bucket)")

        // The same limits restated leave a rate the provider pushed down alone.
        try await pool.query("UPDATE rate_buckets SET current_rpm = 400")
        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: 1000))
        #expect(try await Self.bucket(pool).rpm <= 401, "restated limits change nothing (the success adds its step)")
        // A changed limit is followed.
        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: 2000))
        bucket = try await Self.bucket(pool)
        #expect(abs(bucket.rpm - 1900) < 1e-6 && bucket.learned == 2000, "\(bucket)")
        // Successes climb no higher than the learned ceiling.
        try await Self.finish(pool, definition, limits: nil, count: 3)
        #expect(abs(try await Self.bucket(pool).rpm - 1900) < 1e-6)
    }

    @Test func aConfiguredRateStaysACeiling() async throws {
        let pool = try await TestDatabase.pool(suite: "learned_limits_ceiling")
        try await SweepFixture.importDataset(pool, cases: 3)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 300, burst: nil)
        try await SweepStore(pool: pool).submit(definition)
        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: 10_000))
        var bucket = try await Self.bucket(pool)
        #expect(bucket.rpm == 300 && bucket.source == "configured")
        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: 200))
        bucket = try await Self.bucket(pool)
        #expect(abs(bucket.rpm - 190) < 1e-6 && bucket.source == "headers", "a stated limit below the configured rate wins: \(bucket)")
    }

    @Test func aZeroOrNegativeStatedLimitIsIgnoredAndTheRestStillSettles() async throws {
        let pool = try await TestDatabase.pool(suite: "learned_limits_unusable")
        try await SweepFixture.importDataset(pool, cases: 3)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: nil, burst: nil)
        try await SweepStore(pool: pool).submit(definition)
        // A broken header (0 requests a minute) beside a usable token limit: the token limit is learned,
        // the request limit is not, and the success still raises the probing rate.
        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: 0, tokensPerMinute: 100_000))
        var bucket = try await Self.bucket(pool)
        #expect(bucket.learned == nil && abs((bucket.tpm ?? 0) - 95_000) < 1e-3, "\(bucket)")
        #expect(abs(bucket.rpm - (60 + AdaptiveRate.probeIncreasePerSuccess)) < 1e-6, "\(bucket)")
        try await Self.finish(pool, definition, limits: ProviderLimits(requestsPerMinute: -5))
        bucket = try await Self.bucket(pool)
        #expect(bucket.learned == nil && abs(bucket.rpm - (60 + 2 * AdaptiveRate.probeIncreasePerSuccess)) < 1e-6, "\(bucket)")
    }

    @Test func withoutAnyLimitTheRateDoublesQuicklyUntilThePushBack() async throws {
        let pool = try await TestDatabase.pool(suite: "learned_limits_probe")
        try await SweepFixture.importDataset(pool, cases: 40)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: nil, burst: nil)
        try await SweepStore(pool: pool).submit(definition)
        try await Self.finish(pool, definition, limits: nil, count: 5)
        let probed = try await Self.bucket(pool).rpm
        #expect(abs(probed - (60 + 5 * AdaptiveRate.probeIncreasePerSuccess)) < 1e-6, "\(probed)")
        // The SQL settlement and the Swift rule agree.
        var rule = AdaptiveRate(configured: nil)
        rule.succeeded(5)
        #expect(abs(probed - rule.current) < 1e-6)
        // After a push-back the climb is the usual one.
        try await pool.query("UPDATE rate_buckets SET last_throttled_at = now(), current_rpm = 100")
        try await Self.finish(pool, definition, limits: nil, count: 5)
        let climbed = try await Self.bucket(pool).rpm
        #expect(abs(climbed - (100 + 5 * AdaptiveRate.increasePerSuccess)) < 1e-6, "\(climbed)")
        // The Swift rule in the same state (pushed back, no probed rate, no ceiling) takes the same step.
        var after = AdaptiveRate(configured: nil, current: 100, probed: nil, pushedBack: true)
        after.succeeded(5)
        #expect(abs(climbed - after.current) < 1e-6)
    }
}
