import Foundation
import SiuoTestSupport
import Testing

@testable import Coordinator

/// Fencing and heartbeats look their few leases up by id whatever the
/// statistics say. Statistics taken while few jobs were leased (a sweep's
/// first minute, or a quiet moment) make leases look rare; a statement that
/// named `state = 'leased'` was then planned along the partial index
/// `jobs_lease_expiry` and read every lease in the cluster on each call.
///
/// The statements are internal, so this suite imports the module as
/// testable: a plan is not something the public API can show.
@Suite struct FencingPlanTests {
    @Test func fencingAndHeartbeatsReadJobsByIdEvenWhenStatisticsSayLeasesAreRare() async throws {
        let pool = try await TestDatabase.pool(suite: "fencing_plans", size: 2)
        try await SweepFixture.importDataset(pool, cases: 400)
        try await SweepStore(pool: pool).submit(SweepFixture.definition(models: 2, tasks: [.mcqa]))
        // Statistics with no lease at all, then every job leased.
        try await pool.query("ANALYZE jobs")
        try await pool.query(
            "UPDATE jobs SET state = 'leased', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '1 hour'")
        let leases = try await pool.query("SELECT id, lease_token FROM jobs ORDER BY id DESC LIMIT 5").map {
            (id: try $0.decode(Int64.self, "id"), token: try $0.decode(UUID.self, "lease_token"))
        }
        let ids = "'{\(leases.map { String($0.id) }.joined(separator: ","))}'"
        let tokens = "'{\(leases.map { $0.token.uuidString }.joined(separator: ","))}'"
        let statements = [
            PlannedStatement("batch fence", types: "bigint[], uuid[]", sql: JobSQL.fenceBatch, arguments: "\(ids), \(tokens)"),
            PlannedStatement(
                "fence", types: "bigint, uuid", sql: JobSQL.fence, arguments: "\(leases[0].id), '\(leases[0].token.uuidString)'"),
            PlannedStatement("heartbeat", types: "bigint[], uuid[]", sql: JobSQL.heartbeat, arguments: "\(ids), \(tokens)"),
        ]
        for statement in statements {
            for (label, plan) in try await statement.plans(on: pool) {
                #expect(plan.contains("\"jobs_pkey\""), "\(label): \(plan)")
                #expect(!plan.contains("jobs_lease_expiry"), "\(label): \(plan)")
            }
        }
    }

    /// What lets the statements above leave the state out: no job holds a
    /// token unless it is leased.
    @Test func theSchemaRefusesATokenOnAJobThatIsNotLeased() async throws {
        let pool = try await TestDatabase.pool(suite: "fencing_token_means_leased", size: 1)
        try await SweepFixture.importDataset(pool, cases: 1)
        try await SweepStore(pool: pool).submit(SweepFixture.definition(models: 1, tasks: [.mcqa]))
        await #expect(throws: PostgresError.self) {
            try await pool.query("UPDATE jobs SET lease_token = gen_random_uuid()")
        }
        try await pool.query(
            "UPDATE jobs SET state = 'leased', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '1 minute'")
        await #expect(throws: PostgresError.self) {
            try await pool.query("UPDATE jobs SET state = 'queued', lease_expires_at = NULL")
        }
    }
}
