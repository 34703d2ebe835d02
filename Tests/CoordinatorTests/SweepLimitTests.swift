import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `--limit N`: a trial over the first N cases that later submissions extend.
@Suite struct SweepLimitTests {
    private func caseIDs(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query(
            """
            SELECT DISTINCT c.question_id, c.position FROM jobs j JOIN cases c ON c.id = j.case_id ORDER BY c.position
            """
        ).map { try $0.decode(String.self, "question_id") }
    }

    @Test func aLimitTakesTheFirstCasesAndALargerOneOrNoneExtendsTheSameSweep() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_limit")
        try await SweepFixture.importDataset(pool, cases: 5)
        let store = SweepStore(pool: pool)
        let definition = SweepFixture.definition(models: 2)
        // 2 models × 2 tasks × the first 2 cases, in dataset order.
        #expect(try await store.submit(definition, limit: 2) == .created(jobs: 8))
        #expect(try await caseIDs(pool) == ["1001", "1002"])

        // Answer everything the trial leased, so we can see it is kept.
        let jobs = JobStore(pool: pool)
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 100))
        #expect(leases.count == 8)
        _ = try await jobs.complete(leases.map { SweepFixture.result(for: $0) })
        let answered = try await pool.count("SELECT count(*) AS n FROM responses")
        let expected: Int = 2 * 2 * 3 + 2 * 2  // 2 models × 2 cases × 3 samples, and 2 × 2 MCQA answers
        #expect(answered == expected)

        // A smaller limit removes nothing and adds nothing.
        #expect(try await store.submit(definition, limit: 1) == .resumed(addedJobs: 0))
        // A larger one adds the missing cases' jobs to the same sweep.
        #expect(try await store.submit(definition, limit: 3) == .resumed(addedJobs: 4))
        #expect(try await caseIDs(pool) == ["1001", "1002", "1003"])
        // None: every case; the answered jobs stay done, their answers kept, nothing asked twice.
        #expect(try await store.submit(definition) == .resumed(addedJobs: 8))
        #expect(try await caseIDs(pool) == ["1001", "1002", "1003", "1004", "1005"])
        #expect(try await pool.count("SELECT count(*) AS n FROM sweeps") == 1)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE kind IN ('generate', 'mcqa') AND state = 'done'") == 8)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE kind IN ('generate', 'mcqa') AND state = 'queued'") == 12)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == answered)
    }

    @Test func theLimitAppliesAfterTheCategoryFilterAndToAddedModels() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_limit_filter")
        try await SweepFixture.importDataset(pool, cases: 9)
        let store = SweepStore(pool: pool)
        var definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        // Of the fixture's nine cases, only question ids 1003 (morality) and 1007 (religion beliefs) pass the filter.
        definition.categories = ["morality", "religion beliefs"]
        #expect(try await store.submit(definition, limit: 1) == .created(jobs: 1))
        #expect(try await caseIDs(pool) == ["1003"])
        let twoModels = {
            var wider = definition
            wider.models.append(SweepFixture.model("model-1"))
            return wider
        }()
        #expect(try await store.submit(twoModels, limit: 1) == .resumed(addedJobs: 1))
        #expect(try await store.submit(twoModels) == .resumed(addedJobs: 2))
        #expect(try await caseIDs(pool) == ["1003", "1007"])
    }

    @Test func aLimitBelowOneIsRefusedAndWritesNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_limit_zero")
        try await SweepFixture.importDataset(pool, cases: 2)
        await #expect(throws: SweepStoreError.invalidLimit(try #require(SweepSubmission.problem(withLimit: 0)))) {
            try await SweepStore(pool: pool).submit(SweepFixture.definition(), limit: 0)
        }
        #expect(try await pool.count("SELECT count(*) AS n FROM sweeps") == 0)
        #expect(SweepSubmission.problem(withLimit: 1) == nil && SweepSubmission.problem(withLimit: nil) == nil)
        // Past what the database's `integer` holds: refused as bad input, not a database error.
        let huge = SweepSubmission.maxLimit + 1
        await #expect(throws: SweepStoreError.invalidLimit(try #require(SweepSubmission.problem(withLimit: huge)))) {
            try await SweepStore(pool: pool).submit(SweepFixture.definition(), limit: huge)
        }
        #expect(try await pool.count("SELECT count(*) AS n FROM sweeps") == 0)
        #expect(SweepSubmission.problem(withLimit: SweepSubmission.maxLimit) == nil)
    }

    @Test func theLimitTravelsInTheSubmitRequestAndABadOneIsA400() async throws {
        let pool = try await TestDatabase.pool(suite: "sweep_limit_api")
        try await SweepFixture.importDataset(pool, cases: 3)
        try await TestCoordinator.with(pool: pool) { (base: String) async throws -> Void in
            let admin = TestCoordinator.admin(base)
            let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
            await #expect {
                try await admin.submit(definition, replace: false, limit: 0)
            } throws: { error in
                (error as? CoordinatorClientError).map { $0.status == 400 && $0.message.contains("limit must be at least 1") } ?? false
            }
            #expect(try await pool.count("SELECT count(*) AS n FROM sweeps") == 0)
            #expect(try await admin.submit(definition, replace: false, limit: 2) == SubmissionAnswer(outcome: .created, jobs: 2))
            #expect(try await admin.submit(definition, replace: false) == SubmissionAnswer(outcome: .resumed, jobs: 1))
        }
    }
}
