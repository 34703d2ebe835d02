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
        let statements: [(name: String, types: String, sql: String, arguments: String)] = [
            ("batch fence", "bigint[], uuid[]", ResultSQL.fenceBatch, "\(ids), \(tokens)"),
            ("fence", "bigint, uuid", JobSQL.fence, "\(leases[0].id), '\(leases[0].token.uuidString)'"),
            ("heartbeat", "bigint[], uuid[]", JobSQL.heartbeat, "\(ids), \(tokens)"),
        ]
        for (index, statement) in statements.enumerated() {
            for mode in ["force_generic_plan", "force_custom_plan"] {
                let name = "fencing_plan_\(index)_\(mode)"
                let plan = try await pool.withTransaction { connection in
                    try await connection.query("SET LOCAL plan_cache_mode = \(mode)")
                    try await connection.query("PREPARE \(name)(\(statement.types)) AS \(statement.sql)")
                    let rows = try await connection.query("EXPLAIN (FORMAT JSON) EXECUTE \(name)(\(statement.arguments))")
                    try await connection.query("DEALLOCATE \(name)")
                    return try rows[0].decode(String.self, "QUERY PLAN")
                }
                #expect(plan.contains("\"jobs_pkey\""), "\(statement.name), \(mode): \(plan)")
                #expect(!plan.contains("jobs_lease_expiry"), "\(statement.name), \(mode): \(plan)")
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
