import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A second judge in the batch lane: its judge jobs are deferred and formed into batches like the
/// judge's, and like the judge it waits while generate jobs (which bring more judge jobs) are pending.
@Suite struct SecondJudgeBatchTests {
    @Test func theSecondJudgesJobsGoThroughBatchesLikeTheJudges() async throws {
        let pool = try await TestDatabase.pool(suite: "second_judge_batch")
        try await SweepFixture.importDataset(pool, cases: 2)
        var definition = SweepFixture.definition(name: "two-batched", models: 1, tasks: [.generation], samples: 1)
        let batch = BatchSettings(maxRequests: 100, maxBytes: 50_000_000, maxWaitSeconds: 3600, deadlineSeconds: 3600)
        definition.judge?.batch = batch
        var second = SweepFixture.model("judge-b")
        second.batch = batch
        definition.secondJudge = second
        try await SweepStore(pool: pool).submit(definition)
        let endpoints = SweepFixture.endpoints(definition)
        // An hour's batch leases: no step finds its lease lapsed, however late a loaded machine runs it.
        let batches = BatchStore(pool: pool, leaseSeconds: 3600)
        let request = BatchLeaseRequest(workerID: "w", endpoints: endpoints)

        // Each store is fresh: a store's hint skips the batch lane for a while after finding it empty.
        func claim(_ count: Int, judges: Bool = false) async throws -> [JobLease] {
            let serving = judges ? definition.judges.map(\.endpointKey) : definition.models.map(\.endpointKey)
            return try await JobStore(pool: pool).claim(LeaseRequest(workerID: "w", endpoints: serving, maxJobs: count))
        }
        func judgeAndDefer(_ generate: [JobLease]) async throws {
            #expect(generate.allSatisfy { $0.kind == .generate && !$0.viaBatch })
            _ = try await JobStore(pool: pool).complete(generate.map { SweepFixture.result(for: $0) })
            // Each answer brings two judge jobs per judge, all in the batch lane.
            let judging = try await claim(20, judges: true)
            #expect(judging.count == 4 && judging.allSatisfy(\.viaBatch))
            #expect(judging.filter { $0.model.name == "judge-b" }.count == 2)
            try await BatchStoreTests.deferAll(judging, jobs: JobStore(pool: pool))
        }

        try await judgeAndDefer(try await claim(1))
        // The answered case waits for its batched verdicts: a report leaves it out rather than scoring
        // it with judge failures, and the viewer shows it as still judging.
        let partial = try #require(try await ReportStore(pool: pool).report("two-batched").models.first?.generation)
        #expect(partial.overall.cases == 0 && partial.judgeFailures == 0)
        let listed = try await CaseStore(pool: pool).list("two-batched").cases
        #expect(listed.filter { $0.models["model-0"]?.judging == true }.count == 1)
        // A generate job is still queued and will bring more judge jobs: neither judge forms a batch yet.
        try await judgeAndDefer(try await claim(1))
        let first = try #require(try await batches.lease(request))
        let secondTask = try #require(try await batches.lease(request))
        #expect(first.action == .submit && secondTask.action == .submit)
        #expect(Set([first.model.name, secondTask.model.name]) == ["judge", "judge-b"])
        #expect(first.lines.count == 4 && secondTask.lines.count == 4)
        #expect(try await SweepStore(pool: pool).status("two-batched").models["model-0"]?["judge_safety"]?.total == 4)
    }
}
