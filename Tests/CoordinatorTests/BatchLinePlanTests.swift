import Foundation
import SiuoTestSupport
import Testing

@testable import Coordinator

/// Batch lines are looked up by job, never through `batch_lines_open`, even
/// when the statistics were taken while few lines were open (a sweep's first
/// batch): a lookup that let the planner push a state test into its scan read
/// every open line for each job, which with a large batch in flight made each
/// lease of batch-answered jobs and each results call cost as much as the
/// batch is long. Like `FencingPlanTests`, this imports the module as
/// testable to reach the statements.
@Suite struct BatchLinePlanTests {
    @Test func batchLinesAreFoundByJobEvenWhenStatisticsSayFewAreOpen() async throws {
        let pool = try await TestDatabase.pool(suite: "batch_line_plans", size: 2)
        try await SweepFixture.importDataset(pool, cases: 400)
        try await SweepStore(pool: pool).submit(SweepFixture.definition(models: 2, tasks: [.mcqa]))
        // Statistics with no line at all, then a line in a batch for every job, a tenth of them answered.
        try await pool.query("ANALYZE batch_lines")
        try await pool.query(
            """
            INSERT INTO batch_lines (job_id, model_id, custom_id, first_sample, sample_count, prompt, estimated_bytes, state)
            SELECT id, model_id, 'line-' || id, 0, 1, 'prompt', 100, CASE WHEN id % 10 = 0 THEN 'answered' ELSE 'submitted' END
            FROM jobs
            """)
        let ids = try await pool.query("SELECT id FROM jobs ORDER BY id LIMIT 5").map { String(try $0.decode(Int64.self, "id")) }
        let statements = [
            PlannedStatement("claim", types: "uuid, text", sql: JobSQL.claim, arguments: "'\(UUID().uuidString)', 'w'"),
            PlannedStatement(
                "batch claim", types: "text[], text[], text[], integer, text", sql: JobSQL.claimBatch,
                arguments: "'{mock}', '{http://x}', '{m}', 100, 'w'"),
            PlannedStatement(
                "consume answered", types: "bigint[]", sql: BatchLineSQL.consumeAnswered, arguments: "'{\(ids.joined(separator: ","))}'"),
            PlannedStatement("release jobs", types: "bigint, boolean", sql: JobSQL.releaseBatched, arguments: "1, false"),
        ]
        for statement in statements {
            for (label, plan) in try await statement.plans(on: pool) {
                #expect(plan.contains("batch_lines"), "\(label): \(plan)")
                #expect(!plan.contains("batch_lines_open"), "\(label): \(plan)")
            }
        }
    }
}
