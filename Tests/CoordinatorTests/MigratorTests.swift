import Coordinator
import Shared
import SiuoTestSupport
import Testing

@Suite struct MigratorTests {
    @Test func appliesTheBundledSchemaOnceThenNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "migrator_twice", migrated: false)
        let migrator = try Migrator(pool: pool)
        #expect(try await migrator.currentVersion() == 0)
        let first = try await migrator.migrate()
        #expect(first.map(\.version) == Array(1...migrator.latestVersion))
        #expect(try await migrator.migrate().isEmpty)
        #expect(try await migrator.currentVersion() == migrator.latestVersion)
        let tables = try await pool.query(
            """
            SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1::text[])
            """,
            [
                PostgresTextArray([
                    "datasets", "images", "cases", "models", "sweeps", "jobs", "responses",
                    "verdicts", "rate_buckets", "workers", "response_cache", "schema_migrations",
                ])
            ])
        #expect(try tables[0].decode(Int.self, "n") == 12)
    }

    @Test func concurrentMigratorsDoNotCollide() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "migrator_concurrent")
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try await Migrator(pool: PostgresPool(url: url, size: 1)).migrate().count }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let bundled = try Migrator(pool: PostgresPool(url: url, size: 1)).latestVersion
        #expect(applied.sorted() == [0, 0, 0, bundled])
        let rows = try await PostgresPool(url: url, size: 1).query("SELECT count(*) AS n FROM schema_migrations")
        #expect(try rows[0].decode(Int.self, "n") == bundled)
    }

    @Test func aChangedMigrationIsRefused() async throws {
        let pool = try await TestDatabase.pool(suite: "migrator_checksum", migrated: false)
        let original = Migration(version: 1, name: "first", sql: "CREATE TABLE a (n int)")
        try await Migrator(pool: pool, migrations: [original]).migrate()
        let edited = Migration(version: 1, name: "first", sql: "CREATE TABLE a (n bigint)")
        await #expect(throws: MigrationError.checksumMismatch(version: 1, name: "first")) {
            try await Migrator(pool: pool, migrations: [edited]).migrate()
        }
    }

    @Test func commentsMayChangeButStatementsMayNot() async throws {
        let pool = try await TestDatabase.pool(suite: "migrator_comments", migrated: false)
        let original = Migration(version: 1, name: "first", sql: "-- a table (see the old design file)\nCREATE TABLE t (x int);\n")
        try await Migrator(pool: pool, migrations: [original]).migrate()
        let recomment = Migration(version: 1, name: "first", sql: "  -- a table (see docs/architecture.md)\nCREATE TABLE t (x int);   \n")
        #expect(recomment.checksum == original.checksum)
        #expect(try await Migrator(pool: pool, migrations: [recomment]).migrate().isEmpty)
        let restated = Migration(version: 1, name: "first", sql: "-- a table\nCREATE TABLE t (x bigint);\n")
        await #expect(throws: MigrationError.checksumMismatch(version: 1, name: "first")) {
            try await Migrator(pool: pool, migrations: [restated]).migrate()
        }
    }

    @Test func aChecksumAnEarlierBuildRecordedIsAcceptedAndReplaced() async throws {
        let pool = try await TestDatabase.pool(suite: "migrator_earlier", migrated: false)
        let sql = "-- old words\nCREATE TABLE t (x int);\n"
        try await Migrator(pool: pool, migrations: [Migration(version: 1, name: "first", sql: sql)]).migrate()
        // As an earlier build recorded it: the whole file's digest.
        try await pool.query("UPDATE schema_migrations SET checksum = $1", [SHA256Hex.digest(sql)])
        let current = Migration(
            version: 1, name: "first", sql: "-- new words\nCREATE TABLE t (x int);\n",
            earlierChecksums: [SHA256Hex.digest(sql)])
        #expect(try await Migrator(pool: pool, migrations: [current]).migrate().isEmpty)
        let recorded = try await pool.query("SELECT checksum FROM schema_migrations")[0]
        #expect(try recorded.decode(String.self, "checksum") == current.checksum)
    }

    @Test func theBundledMigrationsKnowWhatEarlierBuildsRecorded() throws {
        let bundled = try Migration.bundled()
        #expect(bundled.count >= 2)
        for migration in bundled where migration.version <= 2 {
            #expect(!migration.earlierChecksums.isEmpty, "databases made before comment-free checksums must still migrate")
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let pool = try await TestDatabase.pool(suite: "migrator_failure", migrated: false)
        let good = Migration(version: 1, name: "good", sql: "CREATE TABLE g (n int)")
        let bad = Migration(version: 2, name: "bad", sql: "CREATE TABLE b (n int); SELECT no_such_function()")
        await #expect(throws: PostgresError.self) { try await Migrator(pool: pool, migrations: [good, bad]).migrate() }
        let tables = try await pool.query("SELECT to_regclass('g') IS NULL AS g_missing, to_regclass('b') IS NULL AS b_missing")
        #expect(try tables[0].decode(Bool.self, "g_missing"))
        #expect(try tables[0].decode(Bool.self, "b_missing"))
    }

    @Test func aDatabaseFromANewerBuildIsRefused() async throws {
        let pool = try await TestDatabase.pool(suite: "migrator_newer", migrated: false)
        let migrations = [Migration(version: 1, name: "a", sql: "SELECT 1"), Migration(version: 2, name: "b", sql: "SELECT 1")]
        try await Migrator(pool: pool, migrations: migrations).migrate()
        await #expect(throws: MigrationError.databaseIsNewer(databaseVersion: 2, knownVersion: 1)) {
            try await Migrator(pool: pool, migrations: [migrations[0]]).migrate()
        }
    }
}
