import Coordinator
import Foundation
import SiuoTestSupport
import Testing

@Suite struct PostgresPoolTests {
    private struct Boom: Error {}

    @Test func transactionRollsBackWhenTheBodyThrows() async throws {
        let pool = try await TestDatabase.pool(suite: "pool_rollback", migrated: false)
        try await pool.query("CREATE TABLE r (n int)")
        await #expect(throws: Boom.self) {
            try await pool.withTransaction { connection in
                try await connection.query("INSERT INTO r VALUES (1)")
                throw Boom()
            }
        }
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.query("INSERT INTO r VALUES (2)")
                try await connection.query("INSERT INTO r VALUES ('not a number')")
            }
        }
        try await pool.withTransaction { try await $0.query("INSERT INTO r VALUES (3)") }
        let rows = try await pool.query("SELECT n FROM r")
        #expect(try rows.map { try $0.decode(Int.self, "n") } == [3])
    }

    @Test func genericPlansHoldForTheirTransactionOnly() async throws {
        let pool = try await TestDatabase.pool(suite: "pool_generic_plans", size: 1, migrated: false)
        let mode = "SELECT current_setting('plan_cache_mode') AS mode"
        let inside = try await pool.transaction(genericPlans: true, [PostgresStatement(mode)])[0]
        #expect(try inside[0].decode(String.self, "mode") == "force_generic_plan")
        let viaBody = try await pool.withTransaction(durable: false, genericPlans: true) { connection in
            try await connection.query(mode)[0].decode(String.self, "mode")
        }
        #expect(viaBody == "force_generic_plan")
        // The one connection's next transaction and plain statements plan as usual again.
        #expect(try await pool.transaction([PostgresStatement(mode)])[0][0].decode(String.self, "mode") == "auto")
        #expect(try await pool.query(mode)[0].decode(String.self, "mode") == "auto")
    }

    @Test func manyTasksShareFewConnections() async throws {
        let pool = try await TestDatabase.pool(suite: "pool_sharing", size: 2, migrated: false)
        try await pool.query("CREATE TABLE c (n int)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await pool.withTransaction { connection in
                        try await connection.query("INSERT INTO c VALUES ($1)", [index])
                        try await connection.query("SELECT pg_sleep(0.005)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.query("SELECT count(DISTINCT n) AS n FROM c")[0].decode(Int.self, "n") == 40)
        // Client backends only: an autovacuum worker on this database shows in pg_stat_activity too.
        let backends = try await pool.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'")
        #expect(try backends[0].decode(Int.self, "n") <= 2)
    }

    @Test func aCancelledWaiterGivesUpItsPlace() async throws {
        let pool = try await TestDatabase.pool(suite: "pool_cancel", size: 1, migrated: false)
        // The holder keeps the only connection until told to let go: no
        // sleeps, so a loaded machine cannot reorder the steps.
        let (held, heldSignal) = AsyncStream<Void>.makeStream()
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.withConnection { _ in
                heldSignal.yield()
                for await _ in release { break }
            }
        }
        for await _ in held { break }
        let waiter = Task { try await pool.query("SELECT 1 AS one") }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        releaseSignal.yield()
        _ = try await holder.value
        // The slot was not lost to the cancelled waiter.
        #expect(try await pool.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1)
    }
}
