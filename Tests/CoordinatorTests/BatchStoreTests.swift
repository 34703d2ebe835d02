import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The coordinator's half of batch mode, driven as workers drive it: batch-lane
/// claims, deferrals, batch tasks and their fenced reports, and the jobs'
/// return with their replies.
@Suite struct BatchStoreTests {
    /// One batch model whose bucket holds a single token: batch-lane claims must not need any.
    static func definition(name: String = "batched", maxRequests: Int = 100) -> SweepDefinition {
        var definition = SweepFixture.definition(name: name, models: 1, tasks: [.mcqa], rpm: 1, burst: 1)
        definition.models[0].batch = BatchSettings(maxRequests: maxRequests, maxBytes: 50_000_000, maxWaitSeconds: 60, deadlineSeconds: 3600)
        return definition
    }

    static func deferAll(_ leases: [JobLease], jobs: JobStore) async throws {
        let deferrals = leases.map {
            JobDeferral(
                lease: $0.reference, samples: [],
                calls: [DeferredCall(firstSample: 0, count: 1, prompt: "question \($0.jobID)", temperature: 0, maxTokens: 5)],
                usage: Usage())
        }
        #expect(try await jobs.deferToBatch(deferrals) == Array(repeating: .accepted, count: leases.count))
    }

    /// Two cases of the batch sweep, every job's request deferred into a batch line.
    struct Deferred {
        let pool: PostgresPool
        let jobs: JobStore
        let batches: BatchStore
        let endpoints: [EndpointKey]
        var request: BatchLeaseRequest { BatchLeaseRequest(workerID: "w", endpoints: endpoints) }

        init(suite: String) async throws {
            let definition: SweepDefinition
            (pool, definition) = try await BatchStoreTests.submitted(suite: suite, cases: 2)
            jobs = JobStore(pool: pool)
            // An hour's batch leases: no step finds its lease lapsed, however late a loaded machine runs it.
            batches = BatchStore(pool: pool, leaseSeconds: 3600)
            endpoints = SweepFixture.endpoints(definition)
            try await BatchStoreTests.deferAll(try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 10)), jobs: jobs)
        }
    }

    /// A fresh database holding the batch sweep (`definition()`) over `cases` cases.
    static func submitted(suite: String, cases: Int) async throws -> (pool: PostgresPool, definition: SweepDefinition) {
        let pool = try await TestDatabase.pool(suite: suite)
        try await SweepFixture.importDataset(pool, cases: cases)
        let definition = definition()
        try await SweepStore(pool: pool).submit(definition)
        return (pool, definition)
    }

    static func states(_ pool: PostgresPool) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await pool.query("SELECT state || '/' || lane AS s, count(*) AS n FROM jobs GROUP BY 1") {
            counts[try row.decode(String.self, "s")] = try row.decode(Int.self, "n")
        }
        return counts
    }

    static func makeDue(_ pool: PostgresPool) async throws {
        try await pool.query("UPDATE batches SET next_check_at = now()")
    }

    @Test func jobsWaitInABatchAndComeBackWithItsRepliesOrLiveWhenUnanswered() async throws {
        let (pool, definition) = try await Self.submitted(suite: "batch_store_flow", cases: 3)
        let jobs = JobStore(pool: pool)
        // An hour's batch leases: no step finds its lease lapsed, however late a loaded machine runs it.
        let batches = BatchStore(pool: pool, leaseSeconds: 3600)
        let endpoints = SweepFixture.endpoints(definition)

        let leases = try await jobs.claim(LeaseRequest(workerID: "w1", endpoints: endpoints, maxJobs: 10))
        #expect(leases.count == 3, "batch-lane claims take no rate token (the bucket holds one)")
        #expect(leases.allSatisfy { $0.viaBatch && $0.permits == 0 && $0.batchReplies.isEmpty })
        try await Self.deferAll(leases, jobs: jobs)
        #expect(try await Self.states(pool) == ["batched/batch": 3])
        #expect(try await SweepStore(pool: pool).status("batched").jobs.batched == 3)

        // Nothing more is coming for the model: the batch forms without waiting out batch_max_wait.
        let request = BatchLeaseRequest(workerID: "w1", endpoints: endpoints)
        let submit = try #require(try await batches.lease(request))
        #expect(submit.action == .submit && !submit.searchFirst && submit.lines.count == 3)
        #expect(Set(submit.lines.map(\.customID)) == Set(leases.map { BatchReply.customID(jobID: $0.jobID, firstSample: 0) }))
        #expect(submit.lines.allSatisfy { $0.call.prompt.hasPrefix("question ") && $0.call.maxTokens == 5 })
        #expect(try await batches.lease(request) == nil, "a leased batch is nobody else's task")
        #expect(try await batches.renew(batchID: submit.batchID, leaseToken: submit.leaseToken) == .accepted)

        let ids = submit.lines.map(\.customID)
        let submitted = BatchReport(leaseToken: submit.leaseToken, outcome: .submitted(providerBatchID: "batch_1", included: ids))
        #expect(try await batches.report(batchID: submit.batchID, submitted) == .accepted)
        #expect(try await batches.report(batchID: submit.batchID, submitted) == .stale, "the lease ended with the report")

        try await Self.makeDue(pool)
        let poll = try #require(try await batches.lease(request))
        #expect(poll.action == .poll && poll.providerBatchID == "batch_1")
        let ended = BatchReport(
            leaseToken: poll.leaseToken,
            outcome: .progress(ended: true, providerState: "completed", done: 2, failed: 0, total: 3, cancelRequested: false))
        #expect(try await batches.report(batchID: poll.batchID, ended) == .accepted)
        let summary = try #require(try await SweepStore(pool: pool).status("batched").batches.first)
        #expect(summary.providerBatchID == "batch_1" && summary.state == .ended && summary.linesDone == 2 && summary.linesTotal == 3)

        let collect = try #require(try await batches.lease(request))
        #expect(collect.action == .collect)
        let body = #"{"choices":[{"message":{"content":"B"},"finish_reason":"stop"}]}"#
        let lines = [
            BatchLineReport(customID: ids[0], status: 200, body: body), BatchLineReport(customID: ids[1], status: 200, body: body),
            BatchLineReport(customID: ids[2], status: nil, body: nil, unanswered: "expired"),
        ]
        #expect(
            try await batches.report(batchID: collect.batchID, BatchReport(leaseToken: collect.leaseToken, outcome: .lines([lines[0]], final: false)))
                == .accepted)
        #expect(try await Self.states(pool) == ["batched/batch": 3], "jobs wait until the batch is closed")
        #expect(
            try await batches.report(
                batchID: collect.batchID, BatchReport(leaseToken: collect.leaseToken, outcome: .lines(Array(lines[1...]), final: true)))
                == .accepted)
        #expect(try await Self.states(pool) == ["queued/batch": 2, "queued/live": 1], "the unanswered line's job runs live")
        let closed = try await pool.query("SELECT last_error FROM batches WHERE id = $1", [collect.batchID])
        #expect(try closed[0].decode(String?.self, "last_error") == nil, "a line the results call unanswered is no missing line")

        let again = try await jobs.claim(LeaseRequest(workerID: "w2", endpoints: endpoints, maxJobs: 10))
        #expect(again.count == 3, "two batch-lane leases and one live one, on the bucket's token")
        let answered = again.filter(\.viaBatch)
        #expect(answered.count == 2 && answered.allSatisfy { $0.batchReplies.count == 1 && $0.batchReplies[0].body == body && $0.permits == 0 })
        #expect(again.filter { !$0.viaBatch }.map(\.permits) == [1])

        let results = again.map { lease in
            JobResult(
                lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "B")],
                usage: lease.viaBatch
                    ? Usage(requests: 1, inputTokens: 1000, outputTokens: 10, batchRequests: 1, batchInputTokens: 1000, batchOutputTokens: 10)
                    : Usage(requests: 1, inputTokens: 1000, outputTokens: 10))
        }
        #expect(try await jobs.complete(results) == [.accepted, .accepted, .accepted])
        let consumed = try await pool.query("SELECT count(*) AS n FROM batch_lines WHERE state = 'consumed'").first?.decode(Int.self, "n")
        #expect(consumed == 2, "the decoded replies are used up")
        let requests = try await pool.query("SELECT sum(requests)::int AS r, sum(batch_requests)::int AS b FROM jobs").first
        #expect(try requests?.decode(Int.self, "r") == 3 && requests?.decode(Int.self, "b") == 2)
    }

    /// A sweep whose budget is spent sends nothing more, batches included: its waiting lines form no
    /// batch until the budget is raised.
    @Test func aSpentBudgetFormsNoBatch() async throws {
        let deferred = try await Deferred(suite: "batch_store_budget")
        try await deferred.pool.query("UPDATE sweeps SET budget_usd = 1, spent_usd = 1")
        #expect(try await deferred.batches.lease(deferred.request) == nil)
        try await deferred.pool.query("UPDATE sweeps SET budget_usd = 2")
        let task = try #require(try await deferred.batches.lease(deferred.request))
        #expect(task.action == .submit && task.lines.count == 2)
    }

    /// `batch` is operational: a resubmit that turns it off sends the jobs waiting for a batch that will
    /// now never form back to the live queue (their lines dropped). Before, they waited as `batched` for ever.
    @Test func turningBatchOffSendsWaitingJobsLive() async throws {
        let deferred = try await Deferred(suite: "batch_store_turned_off")
        #expect(try await Self.states(deferred.pool) == ["batched/batch": 2])
        var live = Self.definition()
        live.models[0].batch = nil
        _ = try await SweepStore(pool: deferred.pool).submit(live)
        #expect(try await Self.states(deferred.pool) == ["queued/live": 2])
        let open = try await deferred.pool.query("SELECT count(*)::int4 AS n FROM batch_lines WHERE state <> 'consumed'")
        #expect(try open[0].decode(Int.self, "n") == 0, "their lines are dropped")
        #expect(try await deferred.batches.lease(deferred.request) == nil, "no batch forms")
        // They run live like any job (the bucket holds one token).
        #expect(try await deferred.jobs.claim(LeaseRequest(workerID: "w", endpoints: deferred.endpoints, maxJobs: 10)).count == 1)
    }

    /// A batch-lane lease that defers after the resubmit turned batch off: its job goes live too.
    @Test func aDeferralAfterBatchWasTurnedOffSendsItsJobLive() async throws {
        let (pool, definition) = try await Self.submitted(suite: "batch_store_turned_off_late", cases: 2)
        let jobs = JobStore(pool: pool)
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 10))
        #expect(leases.count == 2 && leases.allSatisfy(\.viaBatch))
        var live = definition
        live.models[0].batch = nil
        _ = try await SweepStore(pool: pool).submit(live)
        try await Self.deferAll(leases, jobs: jobs)
        #expect(try await Self.states(pool) == ["queued/live": 2])
        let open = try await pool.query("SELECT count(*)::int4 AS n FROM batch_lines WHERE state <> 'consumed'")
        #expect(try open[0].decode(Int.self, "n") == 0)
    }

    /// A line an ended batch's results do not hold (unreadable, or left out by the provider) runs live,
    /// paid again: the batch says so, and the log too, instead of closing as if all were well.
    @Test func aLineMissingFromAnEndedBatchsResultsIsSaid() async throws {
        let deferred = try await Deferred(suite: "batch_store_missing_line")
        let submit = try #require(try await deferred.batches.lease(deferred.request))
        let ids = submit.lines.map(\.customID)
        let submitted = BatchReport(leaseToken: submit.leaseToken, outcome: .submitted(providerBatchID: "batch_m", included: ids))
        #expect(try await deferred.batches.report(batchID: submit.batchID, submitted) == .accepted)
        try await Self.makeDue(deferred.pool)
        let poll = try #require(try await deferred.batches.lease(deferred.request))
        let ended = BatchReport(
            leaseToken: poll.leaseToken,
            outcome: .progress(ended: true, providerState: "completed", done: 2, failed: 0, total: 2, cancelRequested: false))
        #expect(try await deferred.batches.report(batchID: poll.batchID, ended) == .accepted)
        let collect = try #require(try await deferred.batches.lease(deferred.request))
        let body = #"{"choices":[{"message":{"content":"B"},"finish_reason":"stop"}]}"#
        let only = BatchReport(
            leaseToken: collect.leaseToken, outcome: .lines([BatchLineReport(customID: ids[0], status: 200, body: body)], final: true))
        #expect(try await deferred.batches.report(batchID: collect.batchID, only) == .accepted)
        #expect(try await Self.states(deferred.pool) == ["queued/batch": 1, "queued/live": 1])
        let closed = try await deferred.pool.query("SELECT last_error FROM batches WHERE id = $1", [collect.batchID])
        #expect(
            try closed[0].decode(String?.self, "last_error")
                == "1 of the batch's lines were missing from its results or unreadable; their jobs run live")
    }

    /// A job whose requests went into two batches: the first ends without answering its line (so the
    /// job must run live), the second answers. The job keeps the first batch's verdict: it comes back
    /// live when the second closes, instead of deferring the unanswered request into a third batch.
    @Test func aJobSpreadOverTwoBatchesKeepsTheFirstsUnansweredVerdict() async throws {
        let pool = try await TestDatabase.pool(suite: "batch_store_two_batches")
        try await SweepFixture.importDataset(pool, cases: 1)
        var definition = SweepFixture.definition(name: "batched", models: 1, tasks: [.generation], samples: 2, rpm: 1, burst: 1)
        definition.judge = nil
        definition.models[0].batch = BatchSettings(maxRequests: 1, maxBytes: 50_000_000, maxWaitSeconds: 60, deadlineSeconds: 3600)
        try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let batches = BatchStore(pool: pool, leaseSeconds: 3600)
        let endpoints = SweepFixture.endpoints(definition)
        let lease = try #require(try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 1)).first)
        let calls = (0..<2).map { DeferredCall(firstSample: $0, count: 1, prompt: "q", temperature: nil, maxTokens: 5) }
        #expect(try await jobs.deferToBatch([JobDeferral(lease: lease.reference, samples: [], calls: calls, usage: Usage())]) == [.accepted])
        let request = BatchLeaseRequest(workerID: "w", endpoints: endpoints)
        // Only batch `id` is due, so each lease below is the task the test means, however slowly a
        // loaded machine runs it (a submitted batch's first poll falls due within seconds).
        func onlyDue(_ id: Int64) async throws {
            try await pool.query("UPDATE batches SET next_check_at = CASE WHEN id = $1 THEN now() ELSE now() + interval '1 hour' END", [id])
        }
        // One line a batch: two batches, each submitted and ended.
        var tasks: [BatchTask] = []
        for index in 0..<2 {
            let submit = try #require(try await batches.lease(request))
            #expect(submit.action == .submit && submit.lines.count == 1)
            let included = submit.lines.map(\.customID)
            let report = BatchReport(leaseToken: submit.leaseToken, outcome: .submitted(providerBatchID: "b\(index)", included: included))
            #expect(try await batches.report(batchID: submit.batchID, report) == .accepted)
            try await pool.query("UPDATE batches SET next_check_at = now() + interval '1 hour'")
            tasks.append(submit)
        }
        for task in tasks {
            try await onlyDue(task.batchID)
            let poll = try #require(try await batches.lease(request))
            #expect(poll.action == .poll && poll.batchID == task.batchID)
            let ended = BatchReport(
                leaseToken: poll.leaseToken,
                outcome: .progress(ended: true, providerState: "ended", done: 1, failed: 0, total: 1, cancelRequested: false))
            #expect(try await batches.report(batchID: poll.batchID, ended) == .accepted)
        }
        // The first batch's line expired; the job still waits for the second.
        try await onlyDue(tasks[0].batchID)
        let first = try #require(try await batches.lease(request))
        #expect(first.action == .collect && first.batchID == tasks[0].batchID)
        let expired = BatchLineReport(
            customID: tasks.first { $0.batchID == first.batchID }!.lines[0].customID, status: nil, body: nil, unanswered: "expired")
        #expect(
            try await batches.report(batchID: first.batchID, BatchReport(leaseToken: first.leaseToken, outcome: .lines([expired], final: true)))
                == .accepted)
        #expect(try await Self.states(pool) == ["batched/live": 1], "marked live while it waits")
        try await onlyDue(tasks[1].batchID)
        // The second answers: the job comes back live.
        let second = try #require(try await batches.lease(request))
        let body = #"{"choices":[{"message":{"content":"B"},"finish_reason":"stop"}]}"#
        let answered = BatchLineReport(customID: tasks.first { $0.batchID == second.batchID }!.lines[0].customID, status: 200, body: body)
        #expect(
            try await batches.report(batchID: second.batchID, BatchReport(leaseToken: second.leaseToken, outcome: .lines([answered], final: true)))
                == .accepted)
        #expect(try await Self.states(pool) == ["queued/live": 1])
    }

    @Test func batchCostIsDiscountedAndTheDiscountIsTheModels() async throws {
        let pool = try await TestDatabase.pool(suite: "batch_store_cost")
        try await SweepFixture.importDataset(pool, cases: 2)
        var definition = Self.definition()
        definition.models[0].price = Price(inputPerMTok: 2, outputPerMTok: 10, batchDiscount: 0.5)
        try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 2))
        let results = leases.enumerated().map { index, lease in
            JobResult(
                lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "A")],
                usage: index == 0
                    ? Usage(
                        requests: 1, inputTokens: 1_000_000, outputTokens: 100_000, batchRequests: 1, batchInputTokens: 1_000_000,
                        batchOutputTokens: 100_000)
                    : Usage(requests: 1, inputTokens: 1_000_000, outputTokens: 100_000))
        }
        let impossible = JobResult(
            lease: leases[0].reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "A")],
            usage: Usage(requests: 1, inputTokens: 10, batchRequests: 2))
        await #expect(throws: InvalidResultError.self, "batch usage is part of the total") { try await jobs.complete([impossible]) }
        #expect(try await jobs.complete(results) == [.accepted, .accepted])
        let costs = try await pool.query(
            "SELECT cost_usd FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id",
            [PostgresTextArray(leases.map { String($0.jobID) })]
        ).map { try $0.decode(Double.self, "cost_usd") }
        #expect(costs == [1.5, 3.0], "(2 + 1) dollars live, half that through a batch")
    }

    @Test func reportsAreFencedAndCheckedWholeBeforeAnyWrite() async throws {
        let scene = try await Deferred(suite: "batch_store_fence")
        let (pool, jobs, batches, endpoints) = (scene.pool, scene.jobs, scene.batches, scene.endpoints)
        let task = try #require(try await batches.lease(BatchLeaseRequest(workerID: "w", endpoints: endpoints)))

        let wrongToken = BatchReport(leaseToken: UUID(), outcome: .submitted(providerBatchID: "b", included: task.lines.map(\.customID)))
        #expect(try await batches.report(batchID: task.batchID, wrongToken) == .stale)
        #expect(try await batches.renew(batchID: task.batchID, leaseToken: UUID()) == .stale)
        let notOurs = BatchReport(leaseToken: task.leaseToken, outcome: .submitted(providerBatchID: "b", included: ["x-1"]))
        await #expect(throws: BatchReportError.self) { try await batches.report(batchID: task.batchID, notOurs) }
        let progressTooEarly = BatchReport(
            leaseToken: task.leaseToken, outcome: .progress(ended: false, providerState: "x", done: 0, failed: 0, total: 2, cancelRequested: false))
        #expect(try await batches.report(batchID: task.batchID, progressTooEarly) == .stale, "a batch not yet submitted has no progress")
        // Counts past what the table holds are bad input (400), not a database error.
        let huge = BatchReport(
            leaseToken: task.leaseToken,
            outcome: .progress(ended: false, providerState: "x", done: 0, failed: 0, total: Int(Int32.max) + 1, cancelRequested: false))
        await #expect(throws: BatchReportError.self) { try await batches.report(batchID: task.batchID, huge) }

        // A deferral for a live-lane job is impossible.
        var live = SweepFixture.definition(name: "live", models: 1, tasks: [.mcqa])
        live.models[0].name = "live-model"
        live.models[0].model = "live-model"
        try await SweepStore(pool: pool).submit(live)
        let liveLease = try #require(try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(live), maxJobs: 1)).first)
        #expect(!liveLease.viaBatch)
        let wrongLane = JobDeferral(
            lease: liveLease.reference, samples: [], calls: [DeferredCall(firstSample: 0, count: 1, prompt: "q", temperature: nil, maxTokens: nil)],
            usage: Usage())
        await #expect(throws: InvalidResultError.self) { try await jobs.deferToBatch([wrongLane]) }
    }

    @Test func aDeferralListIsCheckedWholeAgainstItsJobsBeforeAnyWrite() async throws {
        let (pool, definition) = try await Self.submitted(suite: "batch_store_deferral_check", cases: 2)
        let jobs = JobStore(pool: pool)
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 2))
        try #require(leases.count == 2 && leases.allSatisfy(\.viaBatch))
        func deferral(_ lease: JobLease, firstSample: Int) -> JobDeferral {
            JobDeferral(
                lease: lease.reference, samples: [],
                calls: [DeferredCall(firstSample: firstSample, count: 1, prompt: "q", temperature: nil, maxTokens: nil)], usage: Usage())
        }
        // A first sample near Int.max is refused as out of range, not added to past the integer's end.
        await #expect(throws: InvalidResultError.self) { try await jobs.deferToBatch([deferral(leases[0], firstSample: Int.max)]) }
        // The second asks for a sample past its MCQA job's one: the first, valid, is not written either.
        await #expect(throws: InvalidResultError.self) {
            try await jobs.deferToBatch([deferral(leases[0], firstSample: 0), deferral(leases[1], firstSample: 1)])
        }
        // A sample received that its job cannot have is refused as a result's would be, not dropped.
        var stray = deferral(leases[1], firstSample: 0)
        stray.samples = [SampleResult(sampleIndex: 3, outcome: .answer, text: "B")]
        let refused = await #expect(throws: InvalidResultError.self) { try await jobs.deferToBatch([deferral(leases[0], firstSample: 0), stray]) }
        #expect(refused?.reason == "sample_index 3 is outside 0..<1")
        #expect(try await Self.states(pool) == ["leased/batch": 2])
        #expect(try await pool.query("SELECT count(*) AS n FROM batch_lines")[0].decode(Int.self, "n") == 0)
        #expect(try await jobs.deferToBatch(leases.map { deferral($0, firstSample: 0) }) == [.accepted, .accepted])
    }

    @Test func batchLaneLeasesAreGrantedEvenWhenTheLiveClaimAfterThemFails() async throws {
        let pool = try await TestDatabase.pool(suite: "batch_store_live_fails")
        try await SweepFixture.importDataset(pool, cases: 2)
        let batched = Self.definition()
        var live = SweepFixture.definition(name: "live", models: 1, tasks: [.mcqa])
        live.models[0].name = "live-model"
        live.models[0].model = "live-model"
        try await SweepStore(pool: pool).submit(batched)
        try await SweepStore(pool: pool).submit(live)
        // The live lane's take writes lease grants: without their table it fails after the batch lane's claim committed.
        try await pool.query("ALTER TABLE lease_grants RENAME TO lease_grants_away")
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(batched) + SweepFixture.endpoints(live), maxJobs: 10)
        let leases = try await JobStore(pool: pool).claim(request)
        try await pool.query("ALTER TABLE lease_grants_away RENAME TO lease_grants")
        #expect(leases.count == 2 && leases.allSatisfy(\.viaBatch))
        #expect(try await Self.states(pool) == ["leased/batch": 2, "queued/live": 2])
    }

    @Test func aFailedSubmitIsSearchedForFirstAndPastTheDeadlineTheRestRunsLive() async throws {
        let scene = try await Deferred(suite: "batch_store_recover")
        let (pool, jobs, batches, endpoints, request) = (scene.pool, scene.jobs, scene.batches, scene.endpoints, scene.request)

        let first = try #require(try await batches.lease(request))
        let timeout = BatchReport(
            leaseToken: first.leaseToken, outcome: .retryLater(error: "timed out reading the answer", retryAfterMilliseconds: nil))
        #expect(try await batches.report(batchID: first.batchID, timeout) == .accepted)
        try await Self.makeDue(pool)
        let second = try #require(try await batches.lease(request))
        #expect(second.action == .submit && second.searchFirst && !second.abandonIfMissing, "the first try may have reached the provider")

        // The worker holding it dies; past the deadline the next one may only search.
        try await pool.query("UPDATE batches SET lease_expires_at = now() - interval '1 second', deadline_at = now() - interval '1 second'")
        let third = try #require(try await batches.lease(request))
        #expect(third.searchFirst && third.abandonIfMissing)
        #expect(try await batches.report(batchID: third.batchID, BatchReport(leaseToken: third.leaseToken, outcome: .missing)) == .accepted)
        #expect(try await Self.states(pool) == ["queued/live": 2])

        // A batch never tried and already past its deadline is closed by the coordinator itself.
        try await pool.query("UPDATE jobs SET lane = 'batch'")
        try await Self.deferAll(try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 10)), jobs: jobs)
        var formed = try #require(try await batches.lease(request))
        #expect(formed.action == .submit && !formed.searchFirst)
        try await pool.query(
            "UPDATE batches SET lease_expires_at = now() - interval '1 second', deadline_at = now() - interval '1 second' WHERE id = $1",
            [formed.batchID])
        #expect(try await batches.lease(request) == nil)
        #expect(try await Self.states(pool) == ["queued/live": 2])

        // A running batch past its deadline is cancelled.
        try await pool.query("UPDATE jobs SET lane = 'batch'")
        try await Self.deferAll(try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 10)), jobs: jobs)
        formed = try #require(try await batches.lease(request))
        let sent = BatchReport(leaseToken: formed.leaseToken, outcome: .submitted(providerBatchID: "b3", included: formed.lines.map(\.customID)))
        #expect(try await batches.report(batchID: formed.batchID, sent) == .accepted)
        try await pool.query("UPDATE batches SET next_check_at = now(), deadline_at = now() - interval '1 second' WHERE id = $1", [formed.batchID])
        let cancel = try #require(try await batches.lease(request))
        #expect(cancel.action == .cancel && cancel.providerBatchID == "b3")
    }

    @Test func aWorkerThatDiedAfterTheRenewBeforeTheCreateLeavesABatchToSearchForNotToSendAgain() async throws {
        let scene = try await Deferred(suite: "batch_store_died_sending")
        let (pool, batches, request) = (scene.pool, scene.batches, scene.request)

        // The worker renews right before the request that creates the batch, then dies before it reports.
        let first = try #require(try await batches.lease(request))
        #expect(first.action == .submit && !first.searchFirst)
        #expect(try await batches.renew(batchID: first.batchID, leaseToken: first.leaseToken) == .accepted)
        try await pool.query("UPDATE batches SET lease_expires_at = now() - interval '1 second'")
        let second = try #require(try await batches.lease(request))
        #expect(second.action == .submit && second.searchFirst, "the batch may be at the provider, paid for")

        // It dies the same way again, now past the deadline: the batch is searched for, not closed as never sent.
        #expect(try await batches.renew(batchID: second.batchID, leaseToken: second.leaseToken) == .accepted)
        try await pool.query("UPDATE batches SET lease_expires_at = now() - interval '1 second', deadline_at = now() - interval '1 second'")
        let third = try #require(try await batches.lease(request))
        #expect(third.searchFirst && third.abandonIfMissing)
    }

    @Test func aBatchTheProviderFailedWholeKeepsItsJobsInTheBatchLaneAsAnAttempt() async throws {
        let scene = try await Deferred(suite: "batch_store_failed")
        let (pool, jobs, batches, endpoints, request) = (scene.pool, scene.jobs, scene.batches, scene.endpoints, scene.request)
        let task = try #require(try await batches.lease(request))
        let ids = task.lines.map(\.customID)
        #expect(
            try await batches.report(
                batchID: task.batchID, BatchReport(leaseToken: task.leaseToken, outcome: .submitted(providerBatchID: "f", included: ids)))
                == .accepted)
        try await Self.makeDue(pool)
        // OpenAI past its enqueued-token limit: the batch is created, then failed at once.
        let poll = try #require(try await batches.lease(request))
        let failed = BatchOutcome.progress(ended: true, providerState: "failed", done: 0, failed: 0, total: 2, cancelRequested: false)
        #expect(try await batches.report(batchID: poll.batchID, BatchReport(leaseToken: poll.leaseToken, outcome: failed)) == .accepted)
        let collect = try #require(try await batches.lease(request))
        let lines = ids.map { BatchLineReport(customID: $0, status: nil, body: nil, unanswered: "batch failed: token_limit_exceeded") }
        // The pause is measured from before the report: however long a loaded machine takes from here, it is 30 s on that clock.
        let before = try await pool.databaseNow()
        #expect(
            try await batches.report(batchID: collect.batchID, BatchReport(leaseToken: collect.leaseToken, outcome: .lines(lines, final: true)))
                == .accepted)
        #expect(try await Self.states(pool) == ["queued/batch": 2], "still batch-lane: the batch is tried again, not sent live")
        let waiting = try await pool.query(
            "SELECT min(attempts) AS a, bool_and(not_before >= $1::timestamptz + interval '30 seconds') AS later FROM jobs", [before])[0]
        #expect(try waiting.decode(Int.self, "a") == 1 && waiting.decode(Bool.self, "later"), "an attempt, and a pause before the next batch")
        let claimed = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: endpoints, maxJobs: 10))
        // Checked after the claim: a machine slow enough to reach it after the pause may lease the jobs.
        let paused = try await pool.query("SELECT bool_and(not_before > now()) AS p FROM jobs")[0].decode(Bool.self, "p")
        #expect(claimed.isEmpty || !paused, "not before the pause")
    }
}
