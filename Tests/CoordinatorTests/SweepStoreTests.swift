import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Synchronization
import Testing

@Suite struct SweepStoreTests {
    private func jobCount(_ pool: PostgresPool) async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM jobs")[0].decode(Int.self, "n")
    }

    @Test func submitCreatesOneJobPerModelCaseAndTask() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_submit")
        try await SweepFixture.importDataset(pool, cases: 3)
        let store = SweepStore(pool: pool)
        #expect(try await store.submit(SweepFixture.definition(models: 2)) == .created(jobs: 12))
        let status = try await store.status("sweep")
        #expect(status.state == .running)
        #expect(status.jobs == JobCounts(total: 12, queued: 12))
        #expect(status.models["model-0"]?["generate"] == KindCounts(total: 3, done: 0))
        #expect(status.models["model-1"]?["mcqa"] == KindCounts(total: 3, done: 0))
        let samples = try await pool.query("SELECT DISTINCT kind, samples FROM jobs ORDER BY kind")
        #expect(try samples.map { "\(try $0.decode(String.self, "kind"))=\(try $0.decode(Int.self, "samples"))" } == ["generate=3", "mcqa=1"])
    }

    @Test func resubmittingResumesWithoutDuplicatesAndAddsNewModels() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_resume")
        try await SweepFixture.importDataset(pool, cases: 3)
        let store = SweepStore(pool: pool)
        try await store.submit(SweepFixture.definition(models: 2))
        #expect(try await store.submit(SweepFixture.definition(models: 2)) == .resumed(addedJobs: 0))
        #expect(try await jobCount(pool) == 12)

        var operational = SweepFixture.definition(models: 3)
        operational.models[0].rpm = 5
        operational.budgetUSD = 10
        operational.maxAttempts = 9
        #expect(try await store.submit(operational) == .resumed(addedJobs: 6))
        #expect(try await jobCount(pool) == 18)
        let rpm = try await pool.query("SELECT configured_rpm FROM rate_buckets WHERE model = 'model-0'")[0].decode(Double.self, "configured_rpm")
        #expect(rpm == 5)
        let attempts = try await pool.query("SELECT DISTINCT max_attempts FROM jobs")
        #expect(try attempts.map { try $0.decode(Int.self, "max_attempts") } == [9])
    }

    @Test func aJudgeOnATargetsEndpointKeepsTheTargetsLimits() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_shared_endpoint")
        try await SweepFixture.importDataset(pool, cases: 1)
        var definition = SweepFixture.definition(models: 1)
        definition.models[0].rpm = 500
        definition.models[0].maxInFlight = 20
        // The judge calls the target's endpoint and sets no limits of its own, but a smaller burst.
        var judge = SweepFixture.model("judge", rpm: nil, burst: 4)
        (judge.provider, judge.baseURL, judge.model) = (definition.models[0].provider, definition.models[0].baseURL, definition.models[0].model)
        definition.judge = judge
        try await SweepStore(pool: pool).submit(definition)
        let rows = try await pool.query("SELECT configured_rpm, burst, max_in_flight FROM rate_buckets")
        try #require(rows.count == 1, "one endpoint, one bucket")
        #expect(try rows[0].decode(Double?.self, "configured_rpm") == 500)
        #expect(try rows[0].decode(Int?.self, "max_in_flight") == 20)
        #expect(try rows[0].decode(Double?.self, "burst") == 4, "the tightest burst of the two")
    }

    @Test func aSweepDoesNotResumeOnADatasetImportedAgain() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_dataset_replaced")
        try await SweepFixture.importDataset(pool, cases: 3)
        let store = SweepStore(pool: pool)
        try await store.submit(SweepFixture.definition(models: 1))
        #expect(try await jobCount(pool) == 6)
        // The same name, other data: the sweep's jobs would mix the two datasets' cases in one report.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try DatasetFixture(count: 4).write(to: folder)
        let changed = try DatasetLoader.load(name: "fixture", generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
        #expect(try await DatasetStore(pool: pool).importDataset(changed, replace: true) == .replaced)
        await #expect {
            try await store.submit(SweepFixture.definition(models: 1))
        } throws: { error in
            guard case SweepStoreError.identityChanged(_, let fields) = error else { return false }
            return fields.contains { $0.contains("imported again") }
        }
        #expect(try await jobCount(pool) == 6, "nothing was added")
        #expect(try await store.submit(SweepFixture.definition(models: 1), replace: true) == .replaced(jobs: 8))
    }

    @Test func anIdentityChangeIsRefusedWithTheFieldsAndWritesNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_identity")
        try await SweepFixture.importDataset(pool, cases: 3)
        let store = SweepStore(pool: pool)
        try await store.submit(SweepFixture.definition(samples: 3))
        var changed = SweepFixture.definition(samples: 5)
        changed.models[1].temperature = 0.7
        await #expect {
            try await store.submit(changed)
        } throws: { error in
            guard case SweepStoreError.identityChanged(let name, let fields) = error else { return false }
            return name == "sweep" && fields.contains("samples") && fields.contains { $0.contains("model-1") && $0.contains("temperature") }
        }
        #expect(try await jobCount(pool) == 12)
        #expect(try await pool.query("SELECT DISTINCT samples FROM jobs WHERE kind = 'generate'")[0].decode(Int.self, "samples") == 3)

        #expect(try await store.submit(changed, replace: true) == .replaced(jobs: 12))
        #expect(try await store.status("sweep").jobs.total == 12)
        let old = try await pool.query(
            "SELECT count(*) AS n FROM jobs j JOIN sweeps s ON s.id = j.sweep_id WHERE s.state = 'replaced' AND j.state = 'cancelled'")
        #expect(try old[0].decode(Int.self, "n") == 12)
    }

    @Test func badReferencesAreRefusedAndWriteNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_refs")
        try await SweepFixture.importDataset(pool, cases: 3)
        let store = SweepStore(pool: pool)
        await #expect(throws: SweepStoreError.datasetNotFound("nope")) {
            try await store.submit(SweepFixture.definition(dataset: "nope"))
        }
        var categories = SweepFixture.definition()
        categories.categories = ["self-harm", "astrology"]
        await #expect { try await store.submit(categories) } throws: {
            "\($0)".contains("unknown \"astrology\"") && "\($0)".contains("\"self-harm\"")
        }
        #expect(try await jobCount(pool) == 0)
        #expect(try await pool.query("SELECT count(*) AS n FROM sweeps")[0].decode(Int.self, "n") == 0)
        await #expect(throws: SweepStoreError.notFound("ghost")) { try await store.status("ghost") }
    }

    @Test func categoriesSelectTheirCases() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_categories")
        try await SweepFixture.importDataset(pool, cases: 9)
        var definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        definition.categories = ["self-harm", "privacy violation"]
        #expect(try await SweepStore(pool: pool).submit(definition) == .created(jobs: 2))
    }

    @Test func pauseResumeCancelAndRetryFailed() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_states")
        try await SweepFixture.importDataset(pool, cases: 3)
        let store = SweepStore(pool: pool)
        let jobs = JobStore(pool: pool)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        try await store.submit(definition)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 10)

        try await store.apply(.pause, to: "sweep")
        #expect(try await store.status("sweep").state == .paused)
        #expect(try await jobs.claim(request).isEmpty)
        try await store.apply(.resume, to: "sweep")
        let leases = try await jobs.claim(request)
        #expect(leases.count == 3)

        try await store.apply(.cancel, to: "sweep")
        #expect(try await store.status("sweep").state == .cancelled)
        #expect(try await store.status("sweep").jobs.cancelled == 3)
        // Results for a cancelled sweep are stale: nothing is written.
        #expect(try await jobs.complete(leases.map { SweepFixture.result(for: $0) }) == [.stale, .stale, .stale])
        #expect(try await pool.query("SELECT count(*) AS n FROM responses")[0].decode(Int.self, "n") == 0)

        try await store.apply(.resume, to: "sweep")
        let again = try await jobs.claim(request)
        #expect(again.count == 3)
        _ = try await jobs.fail(again.map { JobFailure(lease: $0.reference, retryable: false, error: "HTTP 401: bad key") })
        #expect(try await store.status("sweep").state == .failed)
        #expect(try await store.retryFailed("sweep") == 3)
        #expect(try await store.status("sweep").jobs.queued == 3)
        #expect(try await store.activeEndpoints().map(\.endpoint.model).sorted() == ["judge", "model-0"])
    }

    @Test func statusNamesEachModelsFailuresWithItsRecentDistinctErrors() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_failures")
        try await SweepFixture.importDataset(pool, cases: 6)
        let store = SweepStore(pool: pool)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        try await store.submit(definition)
        #expect(try await store.status("sweep").failures.isEmpty)
        let leases = try await JobStore(pool: pool).claim(
            LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 10))
        #expect(leases.count == 6)
        let long = String(repeating: "x", count: 1000)
        let errors = ["HTTP 401: bad key", "HTTP 401: bad key", long, "HTTP 404: no model", "HTTP 400: refused", "HTTP 400: refused"]
        for (lease, error) in zip(leases, errors) {
            _ = try await JobStore(pool: pool).fail([JobFailure(lease: lease.reference, retryable: false, error: error)])
        }
        let failures = try await store.status("sweep").failures
        #expect(failures.map(\.model) == ["model-0"])
        #expect(failures[0].failed == 6)
        // The three most recent distinct errors, newest first, each with its count.
        #expect(failures[0].errors.map(\.count) == [2, 1, 1])
        #expect(failures[0].errors.map(\.message.count) == ["HTTP 400: refused".count, "HTTP 404: no model".count, ModelFailures.errorLength])
        #expect(failures[0].errors[2].message.hasSuffix("x…"))
    }

    /// Steering and resubmitting change jobs a result batch may hold, and a result batch locks its jobs
    /// and then adds to its sweep's spend: a command that held the sweep's row while it waited for
    /// those jobs deadlocked with the batch (one of the two then failed). Here a result batch holds its
    /// jobs while a cancel, and then a resubmit that changes `max_attempts`, wait for them, and adds
    /// to the spend: all of them finish.
    @Test(arguments: ["cancel", "resubmit"])
    func aCommandWaitingForJobsAResultBatchHoldsDoesNotDeadlockWithIt(command: String) async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_lock_order_\(command)", size: 4)
        try await SweepFixture.importDataset(pool, cases: 2)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        try await SweepStore(pool: pool).submit(definition)
        let leases = try await JobStore(pool: pool).claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 2))
        try #require(leases.count == 2)
        let changed = {
            var changed = definition
            changed.maxAttempts = definition.maxAttempts + 1
            return changed
        }()
        let waiting = Mutex<Task<Void, any Error>?>(nil)
        try await pool.withTransaction { connection in
            // The batch's fence...
            try await connection.query(
                "SELECT id FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE", [PostgresTextArray(leases.map { String($0.jobID) })])
            let task = Task {
                if command == "cancel" {
                    try await SweepStore(pool: pool).apply(.cancel, to: definition.name)
                } else {
                    _ = try await SweepStore(pool: pool).submit(changed)
                }
            }
            waiting.withLock { $0 = task }
            // ...the command waits for its jobs...
            try await waitUntil("the \(command) waits for the batch's jobs") {
                try await pool.count("SELECT count(*)::int4 AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE jobs%'")
                    > 0
            }
            // ...and the batch adds to the sweep's spend, as its finish does, then commits.
            try await connection.query("UPDATE sweeps SET spent_usd = spent_usd + 0.5 WHERE name = $1 AND state <> 'replaced'", [definition.name])
        }
        try await #require(waiting.withLock { $0 }).value
        let status = try await SweepStore(pool: pool).status(definition.name)
        #expect(status.spentUSD == 0.5)
        if command == "cancel" {
            #expect(status.state == .cancelled)
        } else {
            #expect(try await pool.count("SELECT count(*)::int4 AS n FROM jobs WHERE max_attempts = $1", [changed.maxAttempts]) == 2)
        }
    }
}
