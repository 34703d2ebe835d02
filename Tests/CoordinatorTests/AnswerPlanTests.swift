import Foundation
import SiuoTestSupport
import Testing

@testable import Coordinator

/// The statements of the lease round read stored answers by index (each
/// claimed job's samples and the answer a judge grades; the results' count of
/// stored samples and their judge jobs), even when planned before any answer
/// is stored. Coordinator sessions keep their generic plans, and a plan made
/// at a sweep's start on a new cluster, with `responses` empty, is kept
/// while answers pile up: the claim joined the graded answer by
/// `LEFT JOIN responses`, which the planner then made a hash join over a
/// sequential scan of every answer, a cost growing with the sweep until
/// autovacuum's statistics replaced the plan. Like `FencingPlanTests`, this
/// imports the module as testable to reach the statements.
@Suite struct AnswerPlanTests {
    @Test func answersAreReadByIndexWhenPlannedBeforeAnyIsStored() async throws {
        let pool = try await TestDatabase.pool(suite: "answer_plans", size: 2)
        try await SweepFixture.importDataset(pool, cases: 400)
        // A cluster's worth of jobs, so that reading the other tables by index is the cheap plan.
        for sweep in 0..<12 {
            _ = try await SweepStore(pool: pool).submit(SweepFixture.definition(name: "sweep-\(sweep)", models: 2, tasks: [.mcqa]))
        }
        // Planned while no answer is stored yet, as at a sweep's start: a session keeps that plan while answers pile up.
        try await pool.query("ANALYZE jobs")
        try await pool.query("ANALYZE cases")
        let claim = PlannedStatement("claim", types: "uuid, text", sql: JobSQL.claim, arguments: "'\(UUID().uuidString)', 'w'")
        let batchClaim = PlannedStatement(
            "batch claim", types: "text[], text[], text[], integer, text", sql: JobSQL.claimBatch,
            arguments: "'{mock}', '{http://x}', '{m}', 100, 'w'")
        let ids = "'{1,2,3,4,5}'"
        let numbers = "'{1,1,1,1,1}'"
        let finish = PlannedStatement(
            "finish", types: "bigint[], integer[], integer[], integer[], bigint[], bigint[], float8[], float8[], integer[], boolean[], integer[]",
            sql: JobSQL.finish,
            arguments:
                "\(ids), \(numbers), \(numbers), \(numbers), \(numbers), \(numbers), \(numbers), \(numbers), \(numbers), '{f,f,f,f,f}', \(numbers)")
        let judgeJobs = PlannedStatement("judge jobs", types: "bigint[]", sql: JobSQL.createJudgeJobs, arguments: ids)
        for statement in [claim, batchClaim, finish, judgeJobs] {
            for (label, plan) in try await statement.plans(on: pool) {
                let scans = try PlannedStatement.sequentialScans(in: plan)
                #expect(scans.isDisjoint(with: ["responses", "jobs"]), "\(label) reads \(scans.sorted()) in full: \(plan)")
                #expect(plan.contains("responses"), "\(label) reads answers: \(plan)")
            }
        }
    }
}
