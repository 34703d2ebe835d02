import Coordinator
import Foundation
import Shared

/// Databases for tests: one per suite, on `SIUO_TEST_DATABASE_URL` when set,
/// else on a private cluster started by the same launcher the CLI uses.
public enum TestDatabase {
    /// A fresh, migrated database named after `suite`, and a pool on it.
    public static func pool(suite: String, size: Int = 4, migrated: Bool = true) async throws -> PostgresPool {
        let url = try await freshDatabase(suite: suite)
        let pool = PostgresPool(url: url, size: size)
        if migrated { try await Migrator(pool: pool).migrate() }
        return pool
    }

    /// The connections a server given by `SIUO_TEST_DATABASE_URL` must allow:
    /// every suite's pools, coordinators and listeners open at once come to
    /// about 200 (the private cluster allows 500).
    static let connectionsNeeded = 300

    /// Creates (or re-creates) the suite's empty database and returns its URL.
    public static func freshDatabase(suite: String) async throws -> String {
        // Nearly every suite comes here first, and a test run holds some 2,100 descriptors at once.
        OpenFileLimit.raiseToHardLimit()
        let name = "siuo_test_" + suite.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        if let server = ProcessInfo.processInfo.environment["SIUO_TEST_DATABASE_URL"], !server.isEmpty {
            let admin = PostgresConnection(url: server)
            let limit = try await admin.query("SHOW max_connections")[0].decode(String.self, "max_connections")
            if let limit = Int(limit), limit < connectionsNeeded {
                // Every suite stops with this plain reason, instead of tests failing here and there with "too many clients".
                throw TestDatabaseError(
                    message: "SIUO_TEST_DATABASE_URL: the server allows \(limit) connections; the test suites hold about 200 at once, "
                        + "so set max_connections to \(connectionsNeeded) or more (or unset it to use the private cluster)")
            }
            try await admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
            try await admin.query("CREATE DATABASE \"\(name)\"")
            return server + (server.contains("?") ? "&" : "?") + "dbname=\(name)"
        }
        let cluster = try await SharedCluster.shared.cluster()
        try await cluster.dropDatabase(name)
        try await cluster.ensureDatabase(name)
        return cluster.url(database: name)
    }
}

/// A test database that cannot serve the test run.
struct TestDatabaseError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The test run's cluster, started once per process and left running for the
/// next run (like the CLI's); fsync is off, it holds nothing worth keeping.
actor SharedCluster {
    static let shared = SharedCluster()
    private var started: EmbeddedPostgres?

    func cluster() async throws -> EmbeddedPostgres {
        if let started { return started }
        let directory = ProcessInfo.processInfo.environment["SIUO_TEST_DATA_DIR"] ?? RepositoryPaths.root + "/.siuo/test-postgres"
        let cluster = EmbeddedPostgres(directory: directory, durable: false)
        try await cluster.start()
        started = cluster
        return cluster
    }
}

extension PostgresPool {
    /// The database's `now()`: the clock a test compares the times its statements set with.
    public func databaseNow() async throws -> Date {
        try await query("SELECT now() AS t")[0].decode(Date.self, "t")
    }

    /// The `n` of the first row `sql` returns: what a test's `SELECT count(*) AS n …` counts.
    public func count(_ sql: String, _ bindings: [any PostgresBindable] = []) async throws -> Int {
        try await query(sql, bindings)[0].decode(Int.self, "n")
    }
}
