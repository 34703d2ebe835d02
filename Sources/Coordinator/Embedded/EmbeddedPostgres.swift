import Foundation
import Shared

/// A private PostgreSQL cluster for one project folder: created with initdb on
/// first use, started with pg_ctl on demand, listening on a unix socket in its
/// own folder only (no TCP), and left running for the next command.
public struct EmbeddedPostgres: Sendable {
    /// The cluster's folder as the user names it (absolute).
    public let directory: String
    /// `false` turns off fsync for throw-away clusters (tests); never for user data.
    public let durable: Bool

    /// The superuser role and the default database.
    public static let role = "siuo"
    /// The database commands use unless told otherwise.
    public static let defaultDatabase = "siuo"

    /// A cluster in `directory` (relative paths are taken from the working directory).
    public init(directory: String, durable: Bool = true) {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.durable = durable
    }

    /// `./.siuo/postgres`, the default place.
    public static func defaultDirectory() -> String {
        FileManager.default.currentDirectoryPath + "/.siuo/postgres"
    }

    /// Creates the cluster if needed and starts it unless it is running.
    /// Safe to call from several processes at once.
    @discardableResult
    public func start() async throws -> StartResult {
        let result = try await DedicatedThread(name: "siuo-embedded-postgres").run { try self.blockingStart() }
        try await ensureDatabase(Self.defaultDatabase)
        return result
    }

    /// Stops the server (fast shutdown: open transactions roll back). Returns
    /// `false` when it was not running.
    @discardableResult
    public func stop() async throws -> Bool {
        try await DedicatedThread(name: "siuo-embedded-postgres").run { try self.blockingStop() }
    }

    /// Whether the cluster exists and runs.
    public func status() -> Status {
        guard let location = ClusterLocation.existing(requested: directory), location.isInitialized else { return .notCreated }
        let details = Details(dataDirectory: location.dataDirectory, socketDirectory: location.socketDirectory, logFile: location.logFile)
        if let pid = PostmasterPID.runningServer(dataDirectory: location.dataDirectory) {
            return .running(pid: Int(pid), details)
        }
        return .stopped(details)
    }

    /// The libpq URL of `database` on this cluster (which need not be running).
    public func url(database: String = defaultDatabase) -> String {
        let location = ClusterLocation.existing(requested: directory) ?? ClusterLocation(requested: directory, dataDirectory: directory)
        return "postgresql:///\(database)?host=\(Self.percentEncoded(location.socketDirectory))&port=\(ClusterLocation.port)&user=\(Self.role)"
    }

    /// Creates `database` unless it exists (names: lower-case letters, digits, `_`).
    public func ensureDatabase(_ database: String) async throws {
        try Self.checkDatabaseName(database)
        let admin = PostgresConnection(url: url(database: "postgres"))
        let existing = try await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])
        guard existing.isEmpty else { return }
        do {
            try await admin.query("CREATE DATABASE \"\(database)\"")
        } catch let error as PostgresError where error.sqlState == "42P04" || error.kind == .uniqueViolation {
            // Another process created it first.
        }
    }

    /// Drops `database` if it exists, disconnecting its sessions.
    public func dropDatabase(_ database: String) async throws {
        try Self.checkDatabaseName(database)
        let admin = PostgresConnection(url: url(database: "postgres"))
        try await admin.query("DROP DATABASE IF EXISTS \"\(database)\" WITH (FORCE)")
    }

    /// What `start()` did.
    public enum StartResult: Sendable, Equatable {
        /// The server was already running.
        case alreadyRunning
        /// The server was stopped and is now running.
        case started
        /// The cluster did not exist; it was created and started.
        case created
    }

    /// The cluster's state, for `siuo db status`.
    public enum Status: Sendable, Equatable {
        /// initdb has not run yet.
        case notCreated
        /// Created but not running.
        case stopped(Details)
        /// Running as `pid`.
        case running(pid: Int, Details)
    }

    /// Where the cluster's parts are.
    public struct Details: Sendable, Equatable {
        /// The PostgreSQL data directory.
        public var dataDirectory: String
        /// The folder of the unix socket.
        public var socketDirectory: String
        /// The server's log.
        public var logFile: String
    }

    // MARK: - Blocking work, off the cooperative pool

    private func blockingStart() throws -> StartResult {
        let binaries = try PostgresBinaries.locate()
        let account = try ServerAccount.current()
        return try FolderLock.holding(directory + ".lock") {
            let location = try ClusterLocation.resolve(requested: directory, account: account)
            var result = StartResult.started
            if !location.isInitialized {
                try ClusterInitializer(binaries: binaries, account: account, durable: durable).initialize(location)
                result = .created
            }
            if PostmasterPID.runningServer(dataDirectory: location.dataDirectory) != nil { return .alreadyRunning }
            PostmasterPID.removeStaleFiles(location: location)
            if location.socketDirectory != location.dataDirectory {
                try account.makePrivateFolder(location.socketDirectory)
            }
            let outcome = try account.runner.run(
                binaries.pgCtl, ["start", "-D", location.dataDirectory, "-l", location.logFile, "-w", "-t", "60", "-s"])
            guard outcome.succeeded else {
                throw EmbeddedPostgresError.startFailed(log: Self.tail(of: location.logFile, fallback: outcome.output))
            }
            return result
        }
    }

    private func blockingStop() throws -> Bool {
        guard let location = ClusterLocation.existing(requested: directory),
            PostmasterPID.runningServer(dataDirectory: location.dataDirectory) != nil
        else { return false }
        let binaries = try PostgresBinaries.locate()
        let account = try ServerAccount.current()
        try account.runner.check(binaries.pgCtl, ["stop", "-D", location.dataDirectory, "-m", "fast", "-w", "-t", "60", "-s"])
        return true
    }

    static func tail(of file: String, fallback: String) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return fallback }
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func checkDatabaseName(_ name: String) throws {
        let valid =
            !name.isEmpty && name.utf8.count <= 63
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
        guard valid else { throw EmbeddedPostgresError.badDatabaseName(name) }
    }
}
