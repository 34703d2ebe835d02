/// Brings a database's schema up to date, safely from any number of processes.
///
/// Everything happens in one transaction that first takes an advisory lock:
/// a second migrator waits, then finds nothing left to do.
public struct Migrator: Sendable {
    /// The advisory lock key: any fixed number other tools are unlikely to use.
    static let lockKey: Int64 = 0x5349_554F_4D49_4752  // "SIUOMIGR"

    private let pool: PostgresPool
    private let migrations: [Migration]

    /// A migrator for `pool` applying `migrations` (the bundled ones by default).
    public init(pool: PostgresPool, migrations: [Migration]? = nil) throws {
        self.pool = pool
        self.migrations = try migrations ?? Migration.bundled()
    }

    /// Applies every pending migration in order; returns those it applied
    /// (none when the schema was current).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let migrations = self.migrations
        return try await pool.withTransaction { connection in
            // Waiting for another migrator, or a migration rewriting a large
            // table, may take longer than the sessions' statement timeout.
            connection.deferUntilNextCall("SET LOCAL statement_timeout = 0")
            try await connection.query(MigrationSQL.lock, [Self.lockKey])
            try await connection.query(MigrationSQL.createTable)
            let applied = try await connection.query(MigrationSQL.applied)
            var checksums: [Int: String] = [:]
            for row in applied {
                checksums[try row.decode(Int.self, "version")] = try row.decode(String.self, "checksum")
            }
            let known = migrations.last?.version ?? 0
            if let newest = checksums.keys.max(), newest > known {
                throw MigrationError.databaseIsNewer(databaseVersion: newest, knownVersion: known)
            }
            var appliedNow: [Migration] = []
            for migration in migrations {
                if let checksum = checksums[migration.version] {
                    if migration.earlierChecksums.contains(checksum) {
                        try await connection.query(MigrationSQL.updateChecksum, [migration.version, migration.checksum])
                    } else if checksum != migration.checksum {
                        throw MigrationError.checksumMismatch(version: migration.version, name: migration.name)
                    }
                    continue
                }
                try await connection.executeScript(migration.sql)
                try await connection.query(MigrationSQL.record, [migration.version, migration.name, migration.checksum])
                appliedNow.append(migration)
            }
            return appliedNow
        }
    }

    /// The newest version applied, or 0 for an empty database.
    public func currentVersion() async throws -> Int {
        do {
            let rows = try await pool.query(MigrationSQL.currentVersion)
            return try rows.first?.decode(Int?.self, "version") ?? 0
        } catch let error as PostgresError where error.sqlState == "42P01" {
            return 0  // no schema_migrations table: nothing applied yet
        }
    }

    /// The newest version this build knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }
}

enum MigrationSQL {
    /// One migrator at a time, until its transaction ends.
    static let lock = "SELECT pg_advisory_xact_lock($1)"
    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """
    static let applied = "SELECT version, checksum FROM schema_migrations ORDER BY version"
    static let record = "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"
    static let updateChecksum = "UPDATE schema_migrations SET checksum = $2 WHERE version = $1"
    static let currentVersion = "SELECT max(version) AS version FROM schema_migrations"
}
