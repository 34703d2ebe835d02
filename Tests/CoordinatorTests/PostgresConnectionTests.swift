import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

@Suite struct PostgresConnectionTests {
    @Test func aPipelineRunsInOrderAndAFailureStopsTheRestAndRollsTheTransactionBack() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_pipeline", migrated: false)
        try await pool.query("CREATE TABLE IF NOT EXISTS pipeline_probe (n integer PRIMARY KEY)")
        try await pool.query("DELETE FROM pipeline_probe")
        let insert = "INSERT INTO pipeline_probe VALUES ($1)"
        let rows = try await pool.transaction([PostgresStatement(insert, [1]), PostgresStatement("SELECT count(*) AS n FROM pipeline_probe")])
        #expect(try rows[1][0].decode(Int.self, "n") == 1)
        // The second insert breaks the key: the third never runs, the first is rolled back.
        await #expect(throws: PostgresError.self) {
            try await pool.transaction([PostgresStatement(insert, [2]), PostgresStatement(insert, [1]), PostgresStatement(insert, [3])])
        }
        let left = try await pool.query("SELECT string_agg(n::text, ',' ORDER BY n) AS ns FROM pipeline_probe")
        #expect(try left[0].decode(String.self, "ns") == "1")
        // A script inside a transaction runs after its BEGIN, and rolls back with it.
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.executeScript("INSERT INTO pipeline_probe VALUES (4); INSERT INTO pipeline_probe VALUES (5)")
                try await connection.query("SELECT 1/0")
            }
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM pipeline_probe")[0].decode(Int.self, "n") == 1)
    }

    @Test func aFollowUpAfterTheSyncPointFailsOnItsOwnAndFollowsAFailureBeforeIt() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_follow_up", migrated: false)
        try await pool.query("CREATE TABLE IF NOT EXISTS follow_probe (n integer PRIMARY KEY)")
        try await pool.query("DELETE FROM follow_probe")
        let insert = "INSERT INTO follow_probe VALUES ($1)"
        func numbers() async throws -> String? {
            try await pool.query("SELECT string_agg(n::text, ',' ORDER BY n) AS ns FROM follow_probe")[0].decode(String?.self, "ns")
        }
        let soft = { (n: Int) in [PostgresStatement("BEGIN"), PostgresStatement(insert, [n]), PostgresStatement("SELECT 7 AS seven"), .commit] }

        // Both parts run: the first part's results (one per statement), then the follow-up's.
        let both = try await pool.withTransaction { connection in
            try await connection.pipeline([PostgresStatement(insert, [1]), .commit], then: soft(2))
        }
        #expect(both.rows.count == 2)
        #expect(try both.followUp.get().count == 4)
        #expect(try both.followUp.get()[2][0].decode(Int.self, "seven") == 7)
        #expect(try await numbers() == "1,2")

        // The follow-up breaks a key: what came before its sync point stays committed, and nothing of it is written.
        let broken = try await pool.withTransaction { connection in
            try await connection.pipeline([PostgresStatement(insert, [3]), .commit], then: soft(1) + soft(4))
        }
        #expect(throws: PostgresError.self) { try broken.followUp.get() }
        #expect(try await numbers() == "1,2,3")

        // The first part fails: it throws, it is rolled back, and the follow-up, in the failed transaction, writes nothing.
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try await connection.pipeline([PostgresStatement(insert, [5]), PostgresStatement(insert, [1]), .commit], then: soft(6))
            }
        }
        #expect(try await numbers() == "1,2,3")
        // Every connection of the pool is usable after all that.
        for _ in 0..<pool.size { #expect(try await pool.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1) }
    }

    @Test func transactionsInOneRoundTripEachCommitOrRollBackOnTheirOwn() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_transactions", migrated: false)
        try await pool.query("CREATE TABLE IF NOT EXISTS transactions_probe (n integer PRIMARY KEY)")
        try await pool.query("DELETE FROM transactions_probe")
        let insert = { (n: Int) in PostgresStatement("INSERT INTO transactions_probe VALUES ($1) RETURNING n", [n]) }
        let total = PostgresStatement("SELECT coalesce(sum(n), 0)::int4 AS total FROM transactions_probe")
        func numbers() async throws -> String? {
            try await pool.query("SELECT string_agg(n::text, ',' ORDER BY n) AS ns FROM transactions_probe")[0].decode(String?.self, "ns")
        }

        // Each answers its own statements' rows, and a later one reads what an earlier one wrote.
        let outcomes = try await pool.withConnection { connection in
            try await connection.pipeline(transactions: [
                PipelinedTransaction(durable: false, genericPlans: true, [insert(1), insert(2)]),
                PipelinedTransaction([total]),
            ])
        }
        #expect(try outcomes[0].get().map { try $0[0].decode(Int.self, "n") } == [1, 2])
        #expect(try outcomes[1].get().count == 1)
        #expect(try outcomes[1].get()[0][0].decode(Int.self, "total") == 3)

        // Settings hold for their own transaction only.
        let mode = PostgresStatement("SELECT current_setting('plan_cache_mode') AS mode")
        let settings = try await pool.withConnection { connection in
            try await connection.pipeline(transactions: [
                PipelinedTransaction(durable: false, genericPlans: true, [mode]), PipelinedTransaction([mode]),
            ])
        }
        #expect(try settings.map { try $0.get()[0][0].decode(String.self, "mode") } == ["force_generic_plan", "auto"])

        // The middle one breaks a key: it writes nothing, and the ones around it commit.
        let broken = try await pool.withConnection { connection in
            try await connection.pipeline(transactions: [
                PipelinedTransaction([insert(3)]), PipelinedTransaction([insert(4), insert(1)]), PipelinedTransaction([insert(5), total]),
            ])
        }
        #expect(throws: Never.self) { try broken[0].get() }
        #expect(throws: PostgresError.self) { try broken[1].get() }
        #expect(try broken[2].get()[1][0].decode(Int.self, "total") == 11)
        #expect(try await numbers() == "1,2,3,5")

        // The last one fails: it is rolled back, and the connection is left outside any transaction.
        let last = try await pool.withConnection { connection in
            let outcomes = try await connection.pipeline(transactions: [
                PipelinedTransaction([insert(6)]), PipelinedTransaction([insert(7), insert(6)]),
            ])
            // A session left in the failed transaction would refuse this ("current transaction is aborted").
            #expect(try await connection.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1)
            return outcomes
        }
        #expect(throws: PostgresError.self) { try last[1].get() }
        #expect(try await numbers() == "1,2,3,5,6")
        for _ in 0..<pool.size { #expect(try await pool.query("SELECT 1 AS one")[0].decode(Int.self, "one") == 1) }
    }

    @Test func decodesEachTypeFromItsColumn() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_types", migrated: false)
        let row = try await pool.query(
            """
            SELECT 42::int4 AS small, 9007199254740993::int8 AS big, 2.5::float8 AS real, true AS yes,
                   'héllo'::text AS word, NULL::text AS nothing, '{"a": [1, 2]}'::jsonb AS doc,
                   '2026-11-29 04:26:37.123456+00'::timestamptz AS at,
                   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id
            """)[0]
        #expect(try row.decode(Int.self, "small") == 42)
        #expect(try row.decode(Int64.self, "big") == 9_007_199_254_740_993)
        #expect(try row.decode(Double.self, "real") == 2.5)
        #expect(try row.decode(Bool.self, "yes"))
        #expect(try row.decode(String.self, "word") == "héllo")
        #expect(try row.decode(String?.self, "nothing") == nil)
        #expect(try row.decode(JSONValue.self, "doc") == .object(["a": .array([.int(1), .int(2)])]))
        let at = try row.decode(Date.self, "at")
        #expect(abs(at.timeIntervalSince1970 - 1_795_926_397.123456) < 0.000_01)
        #expect(try row.decode(UUID.self, "id") == UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
    }

    /// Integers are read from their bytes: the extremes of `int8`, zero, and thousands of random values of
    /// every size and sign read as the server's own text says.
    @Test func integersReadFromTheirBytesAsTheirTextSays() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_integers", migrated: false)
        let extremes = try await pool.query(
            "SELECT (-9223372036854775808)::int8 AS least, 9223372036854775807::int8 AS most, 0::int8 AS zero, (-7)::int2 AS small")[0]
        #expect(try extremes.decode(Int64.self, "least") == .min)
        #expect(try extremes.decode(Int64.self, "most") == .max)
        #expect(try extremes.decode(Int64.self, "zero") == 0)
        #expect(try extremes.decode(Int.self, "small") == -7)
        let rows = try await pool.query(
            """
            SELECT v, v::text AS text FROM (
                SELECT (sign(random() - 0.5) * floor(random() * 2 ^ (random() * 62)))::int8 AS v FROM generate_series(1, 3000)) AS t
            """)
        for row in rows {
            #expect(try row.decode(Int64.self, "v") == Int64(try row.decode(String.self, "text")))
        }
    }

    @Test func typeMismatchNamesColumnSQLTypeAndSwiftType() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_mismatch", migrated: false)
        let row = try await pool.query("SELECT 'x'::text AS name, NULL::int AS missing")[0]
        #expect {
            try row.decode(Int.self, "name")
        } throws: { error in
            let message = "\(error)"
            return (error as? PostgresError)?.kind == .decoding && message.contains("column \"name\" (text) cannot be read as Int")
        }
        #expect {
            try row.decode(Int.self, "missing")
        } throws: { "\($0)".contains("is NULL") }
        #expect {
            try row.decode(Int.self, "absent")
        } throws: { "\($0)".contains("no column \"absent\"") }
    }

    @Test func parametersTravelVerbatimNeverAsSQL() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_params", migrated: false)
        try await pool.query("CREATE TABLE t (s text, b bytea, j jsonb, d timestamptz)")
        let hostile = "Robert'); DROP TABLE t;-- \u{1F600} \\ \" $1 ?"
        let bytes: [UInt8] = [0, 1, 2, 0, 255, 92, 39]
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        try await pool.query(
            "INSERT INTO t VALUES ($1, $2, $3::jsonb, $4)",
            [hostile, bytes, JSONValue.object(["k": .string(hostile)]), date])
        let row = try await pool.query("SELECT s, b, j, d FROM t")[0]
        #expect(try row.decode(String.self, "s") == hostile)
        #expect(try row.decode([UInt8].self, "b") == bytes)
        #expect(try row.decode(JSONValue.self, "j") == .object(["k": .string(hostile)]))
        #expect(try row.decode(Date.self, "d") == date)
    }

    @Test func textArraysQuoteEveryElement() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_arrays", migrated: false)
        let elements = ["plain", "with,comma", "{braces}", "NULL", "quote\"back\\slash", ""]
        let rows = try await pool.query("SELECT unnest($1::text[]) AS e", [PostgresTextArray(elements)])
        #expect(try rows.map { try $0.decode(String.self, "e") } == elements)
        let nullable = try await pool.query("SELECT unnest($1::text[]) AS e", [PostgresNullableTextArray(["a", nil])])
        #expect(try nullable.map { try $0.decode(String?.self, "e") } == ["a", nil])
    }

    @Test func sqlStatesBecomeTypedErrors() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_errors", migrated: false)
        try await pool.query("CREATE TABLE u (id int PRIMARY KEY, n int CHECK (n > 0))")
        try await pool.query("INSERT INTO u VALUES (1, 1)")
        await #expect { try await pool.query("INSERT INTO u VALUES (1, 1)") } throws: {
            let error = $0 as? PostgresError
            return error?.kind == .uniqueViolation && error?.sqlState == "23505" && error?.constraint == "u_pkey"
        }
        await #expect { try await pool.query("INSERT INTO u VALUES (2, -1)") } throws: {
            ($0 as? PostgresError)?.kind == .checkViolation
        }
        await #expect { try await pool.query("SELEC 1") } throws: {
            ($0 as? PostgresError)?.sqlState == "42601"
        }
        // The connection is still good after errors.
        #expect(try await pool.query("SELECT count(*) AS n FROM u")[0].decode(Int.self, "n") == 1)
        #expect(PostgresError.kind(forSQLState: "40001") == .serializationFailure)
        #expect(PostgresError.kind(forSQLState: "40P01") == .deadlockDetected)
        #expect(PostgresError.kind(forSQLState: "57P01") == .connectionLost)
        #expect(PostgresError.kind(forSQLState: "08006") == .connectionLost)
    }

    @Test func unreachableServerFailsWithAClearError() async throws {
        let connection = PostgresConnection(url: "postgresql:///nope?host=/nonexistent-siuo-socket&connect_timeout=2")
        await #expect { try await connection.query("SELECT 1") } throws: {
            ($0 as? PostgresError)?.kind == .connectionFailed && "\($0)".contains("nonexistent-siuo-socket")
        }
    }

    @Test func noticesAreSilenced() async throws {
        let pool = try await TestDatabase.pool(suite: "connection_notices", migrated: false)
        // libpq's default would print "NOTICE:  …" to this process's stderr: catch stderr meanwhile.
        let printed = try await StandardErrorCapture.during {
            try await pool.query("DROP TABLE IF EXISTS never_there_siuo_marker")
            try await pool.query("DO $$ BEGIN RAISE NOTICE 'siuo-notice-marker'; END $$")
        }
        #expect(!printed.contains("siuo-notice-marker") && !printed.contains("never_there_siuo_marker"))
        // The capture works: what is written to stderr meanwhile is caught.
        let control = try await StandardErrorCapture.during { FileHandle.standardError.write(Data("siuo-control-marker\n".utf8)) }
        #expect(control.contains("siuo-control-marker"))
    }
}

/// Sends this process's stderr to a file while `body` runs, then writes what
/// came back to the real stderr (other tests may have written meanwhile) and returns it.
enum StandardErrorCapture {
    static func during(_ body: () async throws -> Void) async throws -> String {
        let folder = try TemporaryFolder(prefix: "siuo-stderr")
        defer { folder.remove() }
        let path = folder.path + "/stderr"
        let file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        guard file >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(file) }
        let saved = dup(STDERR_FILENO)
        dup2(file, STDERR_FILENO)
        do {
            try await body()
        } catch {
            dup2(saved, STDERR_FILENO)
            close(saved)
            throw error
        }
        dup2(saved, STDERR_FILENO)
        close(saved)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        FileHandle.standardError.write(Data(text.utf8))
        return text
    }
}
