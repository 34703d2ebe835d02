import Foundation
import Shared
import SiuoTestSupport
import Testing

@testable import Coordinator

/// The statements that walk the queue, the token take's count (a recursive
/// walk over the request's models, whose `LIMIT` a generic plan cannot
/// know) and the claim, read it along the partial index `jobs_runnable`, and
/// the forming of provider batches looks for waiting work by index, in
/// both plan modes, with statistics taken when every job was queued and kept
/// while the queue drained (as a session's generic plans keep them): no plan
/// reads the table's finished jobs to find the few runnable ones. Like
/// `FencingPlanTests`, this imports the module as testable to reach the
/// statements.
@Suite struct QueuePlanTests {
    @Test func theTakeAndTheClaimWalkTheQueueIndex() async throws {
        let pool = try await TestDatabase.pool(suite: "queue_plans", size: 2)
        try await SweepFixture.importDataset(pool, cases: 400)
        var definitions: [SweepDefinition] = []
        for sweep in 0..<12 {
            let definition = SweepFixture.definition(name: "sweep-\(sweep)", models: 2, tasks: [.mcqa])
            _ = try await SweepStore(pool: pool).submit(definition)
            definitions.append(definition)
        }
        // Statistics taken at the sweeps' start, when every job was queued, kept by a session's
        // generic plans while the queue drains: the runnable jobs then sit behind finished ones.
        try await pool.query("ANALYZE jobs")
        try await pool.query("UPDATE jobs SET state = 'done', finished_at = now() WHERE id % 50 <> 0")
        let endpoints = SweepFixture.endpoints(definitions[0])
        func array(_ values: [String]) -> String { "'{" + values.map { "\"\($0)\"" }.joined(separator: ",") + "}'" }
        let take = PlannedStatement(
            "take", types: "text[], text[], text[], integer, uuid", sql: RateBucketSQL.take,
            arguments:
                "\(array(endpoints.map(\.provider.rawValue))), \(array(endpoints.map(\.baseURL))), \(array(endpoints.map(\.model))), 100, '\(UUID().uuidString)'"
        )
        let claim = PlannedStatement("claim", types: "uuid, text", sql: JobSQL.claim, arguments: "'\(UUID().uuidString)', 'w'")
        let endpointArguments = "\(array(endpoints.map(\.provider.rawValue))), \(array(endpoints.map(\.baseURL))), \(array(endpoints.map(\.model)))"
        // Asked once a second by every batch worker while lines wait: is more of a model's batch-lane work coming?
        let batchForming = PlannedStatement("batch forming", types: "text[], text[], text[]", sql: BatchSQL.modelToForm, arguments: endpointArguments)
        for statement in [take, claim, batchForming] {
            for (label, plan) in try await statement.plans(on: pool) {
                let scans = try PlannedStatement.sequentialScans(in: plan)
                #expect(!scans.contains("jobs"), "\(label) reads every job: \(plan)")
                if statement.name != "batch forming" {
                    #expect(plan.contains("\"jobs_runnable\""), "\(label) walks the queue index: \(plan)")
                }
            }
        }
    }
}
