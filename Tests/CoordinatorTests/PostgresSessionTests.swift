import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Session settings on every connection, and cancellation of a running
/// statement when its task is cancelled (docs/operations.md, "Behind PgBouncer").
@Suite struct PostgresSessionTests {
    @Test func everySessionStartsWithTheTimeoutsAndHexBytea() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "session_settings")
        let settings = try PostgresSessionSettings(statementTimeout: .milliseconds(1500), idleInTransactionTimeout: .seconds(45))
        let pool = PostgresPool(url: url, size: 2, settings: settings)
        let row = try await pool.query(
            """
            SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle,
                   current_setting('bytea_output') AS bytea
            """)[0]
        #expect(try row.decode(String.self, "statement") == "1500ms")
        #expect(try row.decode(String.self, "idle") == "45s")
        #expect(try row.decode(String.self, "bytea") == "hex")
        // SHOW, as an operator would check through a pooler.
        #expect(try await pool.query("SHOW statement_timeout")[0].decode(String.self, "statement_timeout") == "1500ms")

        // The defaults: 30 s and 60 s.
        let standard = PostgresPool(url: url, size: 1)
        #expect(try await standard.query("SHOW statement_timeout")[0].decode(String.self, "statement_timeout") == "30s")
        #expect(
            try await standard.query("SHOW idle_in_transaction_session_timeout")[0].decode(String.self, "idle_in_transaction_session_timeout")
                == "1min")

        // A setting the URL's own options make wins over ours; the others still hold.
        let own = PostgresPool(url: url + "&options=-c%20statement_timeout%3D7000", size: 1, settings: settings)
        #expect(try await own.query("SHOW statement_timeout")[0].decode(String.self, "statement_timeout") == "7s")
        #expect(
            try await own.query("SHOW idle_in_transaction_session_timeout")[0].decode(String.self, "idle_in_transaction_session_timeout") == "45s")

        // The time zone and date style timestamps are read in come in the startup packet too, and hold
        // whatever the URL says: a session in another zone still reads the database's clock right.
        let zoned = PostgresPool(url: url + "&options=-c%20TimeZone%3DAsia/Kolkata%20-c%20DateStyle%3DGerman", size: 1)
        let clock = try await zoned.query(
            "SELECT current_setting('TimeZone') AS zone, current_setting('DateStyle') AS style, now() AS now, extract(epoch FROM now()) AS epoch"
        )[0]
        #expect(try clock.decode(String.self, "zone") == "UTC" && clock.decode(String.self, "style") == "ISO, MDY")
        #expect(abs(try clock.decode(Date.self, "now").timeIntervalSince1970 - clock.decode(Double.self, "epoch")) < 0.001)
    }

    @Test func noStatementIsJITCompiledHoweverExpensiveItsPlanLooks() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "session_jit")
        // Every plan above cost 0 would be compiled, were JIT on.
        func compiles(_ connection: PostgresConnection) async throws -> Bool {
            try await connection.query("SET jit_above_cost = 0")
            let plan = try await connection.query("EXPLAIN (ANALYZE) SELECT sum(x) FROM generate_series(1, 1000) AS x")
            return try plan.contains { try $0.decode(String.self, "QUERY PLAN").hasPrefix("JIT:") }
        }
        let pool = PostgresPool(url: url, size: 1)
        #expect(try await pool.query("SHOW jit")[0].decode(String.self, "jit") == "off")
        #expect(try await pool.withConnection { try await compiles($0) } == false)
        // The same query on a session with the server's default does compile, where the server can: the check sees JIT.
        let plain = PostgresPool(url: url + "&options=-c%20jit%3Don", size: 1)
        if try await plain.query("SELECT pg_jit_available() AS available")[0].decode(Bool.self, "available") {
            #expect(try await plain.withConnection { try await compiles($0) })
        }
    }

    @Test func aStatementPastTheTimeoutFailsClearlyAndTheConnectionStaysUsable() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "session_timeout")
        // The table is made beforehand, on a session without the short timeout: on a loaded machine even
        // CREATE TABLE can take longer than the timeout under test. Two seconds leave the quick statements room.
        try await PostgresPool(url: url, size: 1).query("CREATE TABLE t (n int)")
        let pool = PostgresPool(url: url, size: 1, settings: try PostgresSessionSettings(statementTimeout: .seconds(2)))
        let before = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
        do {
            try await pool.query("SELECT pg_sleep(20)")
            Issue.record("pg_sleep(20) outlived a 2 s statement timeout")
        } catch let error as PostgresError {
            #expect(error.kind == .queryCanceled)
            #expect(error.sqlState == "57014")
            #expect(error.description.contains("statement timeout"))
        }
        // Inside a transaction: rolled back, and the same session serves the next call.
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.query("INSERT INTO t VALUES (1)")
                try await connection.query("SELECT pg_sleep(20)")
            }
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
        let after = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
        #expect(after == before, "the session survived the timeouts")
    }

    @Test func aRouteWhoseStatementRunsPastTheTimeoutAnswers503() async throws {
        let migrated = try await TestDatabase.pool(suite: "session_timeout_route")
        // The set-up runs without the timeout; the coordinator's own timeout is only passed by waiting on
        // the lock, which lasts as long as the test holds it, so it leaves a loaded machine's reads room.
        try await SweepFixture.importDataset(migrated, cases: 1)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        _ = try await SweepStore(pool: migrated).submit(definition)
        let pool = PostgresPool(url: migrated.url, size: 2, settings: try PostgresSessionSettings(statementTimeout: .seconds(3)))
        // Another session holds the sweeps table: the status read waits on it past the timeout.
        let holder = PostgresConnection(url: migrated.url)
        try await holder.query("BEGIN")
        try await holder.query("LOCK TABLE sweeps IN ACCESS EXCLUSIVE MODE")
        try await TestCoordinator.with(pool: pool) { url in
            do {
                _ = try await TestCoordinator.admin(url).status(definition.name)
                Issue.record("the status read outlived the statement timeout")
            } catch let error as CoordinatorClientError {
                #expect(error.status == 503)
                #expect(error.message == "the database did not answer in time; nothing was written; try again")
            }
            try await holder.query("ROLLBACK")
            // The same coordinator answers once the table is free.
            #expect(try await TestCoordinator.admin(url).status(definition.name).name == definition.name)
        }
    }

    @Test func aSessionIdleInATransactionIsEndedAndTheNextCallReconnects() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "session_idle")
        let pool = PostgresPool(url: url, size: 1, settings: try PostgresSessionSettings(idleInTransactionTimeout: .milliseconds(300)))
        let observer = PostgresPool(url: url, size: 1)
        try await pool.query("CREATE TABLE t (n int)")
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.query("INSERT INTO t VALUES (1)")
                let pid = try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
                // Idle inside the transaction, past the limit: the server ends the session, seen from another.
                try await waitUntil("the server ends the session idle in its transaction") {
                    try await observer.count("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1", [pid]) == 0
                }
                try await connection.query("INSERT INTO t VALUES (2)")
            }
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
    }

    @Test func cancellingTheTaskCancelsTheRunningStatement() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "session_cancel")
        // No statement timeout: only the cancel can end the sleep early.
        let pool = PostgresPool(url: url, size: 1, settings: try PostgresSessionSettings(statementTimeout: .zero))
        let observer = PostgresPool(url: url, size: 1)
        let pid = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
        let sleeper = Task { try await pool.query("SELECT pg_sleep(600)") }
        try await waitUntil("the sleep runs on the server") {
            try await Self.activeQueries(observer, pid: pid).contains("SELECT pg_sleep(600)")
        }
        let cancelled = ContinuousClock.now
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(ContinuousClock.now - cancelled < .seconds(300), "ended by the cancel, not by the sleep running out")
        #expect(try await Self.activeQueries(observer, pid: pid).isEmpty, "nothing still runs on the server")
        // The pooled session is the same one, and it works.
        #expect(try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid") == pid)

        // Inside a transaction: the statement is cancelled, the transaction rolled back, the session kept.
        try await pool.query("CREATE TABLE t (n int)")
        let writer = Task {
            try await pool.withTransaction { connection in
                try await connection.query("INSERT INTO t VALUES (1)")
                try await connection.query("SELECT pg_sleep(600)")
            }
        }
        try await waitUntil("the transaction's sleep runs") {
            try await Self.activeQueries(observer, pid: pid).contains("SELECT pg_sleep(600)")
        }
        writer.cancel()
        await #expect(throws: CancellationError.self) { try await writer.value }
        #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
        #expect(try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid") == pid)
        let state = try await observer.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])[0]
        #expect(try state.decode(String.self, "state") == "idle", "not left inside a transaction")
    }

    @Test func aTaskAlreadyCancelledStillRunsItsCleanUp() async throws {
        let pool = try await TestDatabase.pool(suite: "session_cancel_cleanup", size: 1, migrated: false)
        try await pool.query("CREATE TABLE t (n int)")
        let (go, goSignal) = AsyncStream<Void>.makeStream()
        let task = Task {
            for await _ in go { break }
            // A ROLLBACK, or rate tokens given back after a cancelled claim, must still reach the database.
            try await pool.query("INSERT INTO t VALUES (1)")
        }
        task.cancel()
        goSignal.yield()
        try await task.value
        #expect(try await pool.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 1)
    }

    @Test func badTimeoutsAreRefusedWithTheirName() throws {
        #expect(try PostgresSessionSettings.seconds("2.5", name: "--statement-timeout") == .milliseconds(2500))
        #expect(try PostgresSessionSettings.seconds("0", name: "--statement-timeout") == .zero)
        for bad in ["abc", "-1", "86401", "nan", "inf", "0.0001", ""] {
            #expect(throws: PostgresSessionSettings.InvalidSetting.self, "\(bad)") {
                try PostgresSessionSettings.seconds(bad, name: "--statement-timeout")
            }
        }
        let invalid = #expect(throws: PostgresSessionSettings.InvalidSetting.self) {
            try PostgresSessionSettings.seconds("ten", name: "--statement-timeout")
        }
        #expect(invalid?.description == "--statement-timeout: expected a number of seconds (0: no limit), got \"ten\"")
        #expect(throws: PostgresSessionSettings.InvalidSetting.self) {
            try PostgresSessionSettings(statementTimeout: .seconds(-1))
        }
    }

    /// The queries active on backend `pid`.
    private static func activeQueries(_ pool: PostgresPool, pid: Int) async throws -> [String] {
        try await pool.query("SELECT query FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [pid]).map {
            try $0.decode(String.self, "query")
        }
    }
}
