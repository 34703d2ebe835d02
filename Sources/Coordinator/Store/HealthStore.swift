/// What `/readyz` asks the database.
struct HealthStore {
    let pool: PostgresPool

    /// Whether the database answers and its schema is at least the one this build expects.
    func isReady(latestMigration: Int) async -> Bool {
        guard let row = try? await pool.query(MigrationSQL.currentVersion).first,
            let version = try? row.decode(Int?.self, "version")
        else { return false }
        // At least this build's schema: during a rolling upgrade a newer build may
        // have migrated further, and this one keeps serving until it is replaced.
        return version >= latestMigration
    }
}
