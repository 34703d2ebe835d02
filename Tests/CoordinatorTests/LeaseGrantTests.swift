import Foundation
import Shared
import SiuoTestSupport
import Testing

@testable import Coordinator

/// A lease request's one round trip: the token take writes a grant, the
/// claim claims against it, and the give-back returns what found no job.
@Suite struct LeaseGrantTests {
    @Test func tokensTheClaimCouldNotUseGoBackAndTheGrantIsGone() async throws {
        let pool = try await TestDatabase.pool(suite: "lease_grants_give_back", size: 4)
        try await SweepFixture.importDataset(pool, cases: 12)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 600, burst: 100)
        try await SweepStore(pool: pool).submit(definition)
        try await pool.query(
            "UPDATE rate_buckets SET tokens = 100, refilled_at = now() + interval '1 hour' WHERE model = 'model-0'")
        let jobs = JobStore(pool: pool)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 12)

        // Another session holds four queued jobs: the take counts them (and takes
        // twelve tokens), the claim skips them (SKIP LOCKED) and gets eight.
        let leases = try await pool.withTransaction { connection in
            let held = try await connection.query("SELECT id FROM jobs ORDER BY id LIMIT 4 FOR UPDATE")
            #expect(held.count == 4)
            return try await jobs.claim(request)
        }
        #expect(leases.count == 8)
        let tokens = try await pool.query("SELECT tokens FROM rate_buckets WHERE model = 'model-0'")[0].decode(Double.self, "tokens")
        #expect(tokens == 92, "one token per job claimed; the four that found no job went back")
        #expect(try await pool.query("SELECT count(*)::int4 AS n FROM lease_grants")[0].decode(Int.self, "n") == 0)

        // The rest, once free, take their own tokens.
        #expect(try await jobs.claim(request).count == 4)
        #expect(try await pool.query("SELECT tokens FROM rate_buckets WHERE model = 'model-0'")[0].decode(Double.self, "tokens") == 88)
    }

    /// A request that names an endpoint twice (a worker listing the judge of two sweeps, say) is served as
    /// if it named it once: the take once wrote that endpoint's grant rows twice and the request failed.
    @Test func anEndpointNamedTwiceIsServedOnceAndTakesOneTokenPerJob() async throws {
        let pool = try await TestDatabase.pool(suite: "lease_grants_twice", size: 2)
        try await SweepFixture.importDataset(pool, cases: 5)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 600, burst: 100)
        try await SweepStore(pool: pool).submit(definition)
        try await pool.query("UPDATE rate_buckets SET tokens = 100, refilled_at = now() + interval '1 hour' WHERE model = 'model-0'")
        let endpoint = try #require(SweepFixture.endpoints(definition).first { $0.model == "model-0" })
        let leases = try await JobStore(pool: pool).claim(LeaseRequest(workerID: "w", endpoints: [endpoint, endpoint], maxJobs: 10))
        #expect(leases.count == 5)
        #expect(Set(leases.map(\.jobID)).count == 5)
        #expect(try await pool.query("SELECT tokens FROM rate_buckets WHERE model = 'model-0'")[0].decode(Double.self, "tokens") == 95)
        #expect(try await pool.query("SELECT count(*)::int4 AS n FROM lease_grants")[0].decode(Int.self, "n") == 0)

        // The take alone, given the endpoint twice, walks its model once: the rest of its five jobs, once.
        _ = try await JobStore(pool: pool).release(leases.dropFirst(2).map(\.reference))
        let names = [endpoint, endpoint]
        let grants = try await pool.query(
            RateBucketSQL.take,
            [
                PostgresTextArray(names.map(\.provider.rawValue)), PostgresTextArray(names.map(\.baseURL)), PostgresTextArray(names.map(\.model)),
                10, UUID(),
            ])
        #expect(try grants.map { try $0.decode(Int.self, "jobs") } == [3])
    }

    /// A submitted MCQA sweep of two models over `cases` cases (a job per case and model).
    private static func twoModelSweep(suite: String, cases: Int) async throws -> (PostgresPool, SweepDefinition, JobStore, [EndpointKey]) {
        let pool = try await TestDatabase.pool(suite: suite, size: 2)
        try await SweepFixture.importDataset(pool, cases: cases)
        let definition = SweepFixture.definition(models: 2, tasks: [.mcqa])
        try await SweepStore(pool: pool).submit(definition)
        return (pool, definition, JobStore(pool: pool), SweepFixture.endpoints(definition))
    }

    @Test func aBucketWithNoRoomLeavesTheGrantToTheOthersWhateverOrderARequestDraws() async throws {
        let (pool, definition, jobs, endpoints) = try await Self.twoModelSweep(suite: "lease_grants_room", cases: 6)
        try await pool.query("UPDATE rate_buckets SET max_in_flight = 1 WHERE model = 'model-0'")
        let held = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: [endpoints[0]], maxJobs: 3))
        #expect(held.count == 1, "one in flight at most")
        let request = LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 3)
        // Each request draws its own order of the two buckets; the full one must never take the grant.
        for _ in 0..<12 {
            let leases = try await jobs.claim(request)
            #expect(leases.count == 3)
            #expect(leases.allSatisfy { $0.model.name == definition.models[1].name })
            _ = try await jobs.release(leases.map(\.reference))
        }
    }

    /// The take counts models' queues one after another in the request's order and stops once the
    /// request is filled: a model that cannot fill it hands the rest on, and a model that can is
    /// the only one leased from (and the only bucket charged).
    @Test func theTakeWalksModelsInTheRequestsOrderUntilTheRequestIsFilled() async throws {
        let (pool, definition, jobs, endpoints) = try await Self.twoModelSweep(suite: "lease_grants_walk", cases: 4)
        try await pool.query("UPDATE rate_buckets SET tokens = 100, refilled_at = now() + interval '1 hour'")
        func tokens() async throws -> [Double] {
            try await pool.query("SELECT tokens FROM rate_buckets WHERE model LIKE 'model-%' ORDER BY model").map {
                try $0.decode(Double.self, "tokens")
            }
        }

        // Four jobs a model: a request for ten gets all eight, one token each.
        let all = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 10))
        #expect(all.count == 8 && Set(all.map(\.model.name)).count == 2)
        #expect(try await tokens() == [96, 96])
        _ = try await jobs.release(all.map(\.reference))

        // A request for three is filled by whichever model its order draws first; over many
        // requests both are drawn.
        var drawn: Set<String> = []
        for _ in 0..<20 {
            let before = try await tokens()
            let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 3))
            let models = Set(leases.map(\.model.name))
            #expect(leases.count == 3 && models.count == 1, "\(leases.map(\.model.name))")
            let spent = zip(before, try await tokens()).map { $0 - $1 }.sorted()
            #expect(spent == [0, 3], "only the drawn model's bucket is charged")
            drawn.formUnion(models)
            _ = try await jobs.release(leases.map(\.reference))
        }
        #expect(drawn == Set(definition.models.map(\.name)))
    }

    /// Two sweeps' models on one endpoint share its bucket: the walk counts the second model only
    /// against what the bucket has left after the first.
    @Test func modelsSharingABucketAreCountedAgainstWhatItHasLeft() async throws {
        let pool = try await TestDatabase.pool(suite: "lease_grants_shared_bucket", size: 2)
        try await SweepFixture.importDataset(pool, cases: 4)
        let first = SweepFixture.definition(name: "first", models: 1, tasks: [.mcqa])
        let second = SweepFixture.definition(name: "second", models: 1, tasks: [.mcqa])
        try await SweepStore(pool: pool).submit(first)
        try await SweepStore(pool: pool).submit(second)
        #expect(try await pool.query("SELECT count(*)::int4 AS n FROM models WHERE model = 'model-0'")[0].decode(Int.self, "n") == 2)
        try await pool.query("UPDATE rate_buckets SET tokens = 6, refilled_at = now() + interval '1 hour' WHERE model = 'model-0'")
        let leases = try await JobStore(pool: pool).claim(
            LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(first), maxJobs: 10))
        // The models in id order within their bucket: the first sweep's four, then two of the second's.
        #expect(leases.count == 6)
        #expect(leases.filter { $0.sweep == "first" }.count == 4 && leases.filter { $0.sweep == "second" }.count == 2)
        #expect(try await pool.query("SELECT tokens FROM rate_buckets WHERE model = 'model-0'")[0].decode(Double.self, "tokens") == 0)
        #expect(try await pool.query("SELECT count(*)::int4 AS n FROM lease_grants")[0].decode(Int.self, "n") == 0)
    }

    @Test func theRescuerDeletesGrantsABrokenRoundTripLeftBehind() async throws {
        let pool = try await TestDatabase.pool(suite: "lease_grants_stale", size: 2)
        try await pool.query("DELETE FROM lease_grants")
        try await pool.query(
            """
            INSERT INTO lease_grants (request_id, model_id, bucket_id, jobs, created_at)
            VALUES (gen_random_uuid(), 1, 1, 5, now() - interval '2 minutes'), (gen_random_uuid(), 1, 1, 5, now() + interval '1 hour')
            """)
        // The grant in flight is stamped an hour ahead: it stays fresh however late the rescuer's pass runs.
        try await LeaseRescuer(pool: pool, signal: WorkSignal()).runOnce()
        let left = try await pool.query("SELECT created_at > now() AS fresh FROM lease_grants")
        #expect(try left.map { try $0.decode(Bool.self, "fresh") } == [true], "the stale grant is gone, the one in flight stays")
    }
}
