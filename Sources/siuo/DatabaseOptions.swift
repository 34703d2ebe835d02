import ArgumentParser
import Coordinator
import Foundation

/// How a command finds its database: a URL, or the embedded cluster.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL (default: $SIUO_DATABASE_URL, else the embedded cluster).", valueName: "url"))
    var databaseURL: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Folder of the embedded cluster (default: $SIUO_DATA_DIR, else ./.siuo/postgres).", valueName: "dir"))
    var dataDirectory: String?

    @Option(
        name: .customLong("statement-timeout"),
        help: ArgumentHelp(
            "Seconds one database statement may run before the server cancels it; 0: no limit (default: $SIUO_STATEMENT_TIMEOUT, else 30).",
            valueName: "seconds"))
    var statementTimeout: String?

    @Option(
        name: .customLong("idle-in-transaction-timeout"),
        help: ArgumentHelp(
            "Seconds a database session may sit idle inside a transaction before the server ends it; 0: no limit "
                + "(default: $SIUO_IDLE_IN_TRANSACTION_TIMEOUT, else 60).",
            valueName: "seconds"))
    var idleInTransactionTimeout: String?

    func validate() throws {
        _ = try sessionSettings()
    }

    /// The settings every database session starts with, from the flags, else
    /// the environment, else the defaults; a clear error for a bad value.
    func sessionSettings() throws -> PostgresSessionSettings {
        func timeout(_ flag: String?, option: String, environment: String, default value: Duration) throws -> Duration {
            guard let raw = Setting.value(flag, environment: environment) else { return value }
            do {
                return try PostgresSessionSettings.seconds(raw, name: option)
            } catch {
                throw ValidationError("\(option) (or \(environment)): \(error.reason)")
            }
        }
        return try PostgresSessionSettings(
            statementTimeout: timeout(
                statementTimeout, option: "--statement-timeout", environment: "SIUO_STATEMENT_TIMEOUT",
                default: PostgresSessionSettings.defaultStatementTimeout),
            idleInTransactionTimeout: timeout(
                idleInTransactionTimeout, option: "--idle-in-transaction-timeout", environment: "SIUO_IDLE_IN_TRANSACTION_TIMEOUT",
                default: PostgresSessionSettings.defaultIdleInTransactionTimeout))
    }

    /// The URL given explicitly, by flag or environment.
    var explicitURL: String? {
        Setting.value(databaseURL, environment: "SIUO_DATABASE_URL")
    }

    /// The folder of the embedded cluster this command would use.
    var dataDirectoryPath: String {
        Setting.value(dataDirectory, environment: "SIUO_DATA_DIR") ?? EmbeddedPostgres.defaultDirectory()
    }

    /// The embedded cluster this command would use.
    var embedded: EmbeddedPostgres {
        EmbeddedPostgres(directory: dataDirectoryPath)
    }

    /// Where `siuo run` records its running processes: `runs/` beside the
    /// cluster's folder (`./.siuo/runs` by default), whichever database it uses.
    var runRecords: LocalRunRecords {
        LocalRunRecords(folder: URL(fileURLWithPath: dataDirectoryPath).deletingLastPathComponent().path + "/runs")
    }

    /// A pool on the database, started if embedded, with the schema up to date.
    func open(poolSize: Int = 4) async throws -> PostgresPool {
        try await openWithURL(poolSize: poolSize).pool
    }

    /// `open`, with the URL it used.
    func openWithURL(poolSize: Int = 4) async throws -> (pool: PostgresPool, url: String) {
        let url: String
        if let explicitURL {
            url = explicitURL
        } else {
            let cluster = embedded
            try await cluster.start()
            url = cluster.url()
        }
        let pool = PostgresPool(url: url, size: poolSize, settings: try sessionSettings())
        try await Migrator(pool: pool).migrate()
        return (pool, url)
    }
}
