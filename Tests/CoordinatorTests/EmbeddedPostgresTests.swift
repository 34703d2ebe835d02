import Coordinator
import Foundation
import SiuoTestSupport
import Testing

/// A cluster of its own (the shared test cluster must not be restarted under
/// other suites): create, restart, stale lock file, stop.
@Suite(.serialized) struct EmbeddedPostgresTests {
    @Test func lifecycleRestartAndStaleLockFile() async throws {
        let folder = try TemporaryFolder(prefix: "siuo-embedded")
        let cluster = EmbeddedPostgres(directory: folder.path + "/pg", durable: false)
        defer {
            if case .stopped(let details) = cluster.status(), details.dataDirectory != folder.path + "/pg" {
                try? FileManager.default.removeItem(atPath: details.dataDirectory)
            }
            folder.remove()
        }
        #expect(cluster.status() == .notCreated)
        #expect(try await cluster.start() == .created)
        #expect(try await cluster.start() == .alreadyRunning)
        guard case .running(_, let details) = cluster.status() else {
            Issue.record("not running after start")
            return
        }
        // Unix socket only: TCP is off and the socket folder is private.
        let pool = PostgresPool(url: cluster.url(), size: 2)
        let listen = try await pool.query("SELECT current_setting('listen_addresses') AS l")[0].decode(String.self, "l")
        #expect(listen == "")
        let attributes = try FileManager.default.attributesOfItem(atPath: details.socketDirectory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)

        try await pool.query("CREATE TABLE kept (n int)")
        try await pool.query("INSERT INTO kept VALUES (7)")

        // The pool outlives a server restart: the next use reconnects.
        #expect(try await cluster.stop())
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(try await cluster.start() == .started)
        #expect(try await pool.query("SELECT n FROM kept")[0].decode(Int.self, "n") == 7)
        #expect(try await pool.query("SELECT n FROM kept")[0].decode(Int.self, "n") == 7)

        // A crash leaves postmaster.pid behind, and its PID may now belong to
        // another process (here: PID 1). That must not block the next start.
        #expect(try await cluster.stop())
        #expect(try await cluster.stop() == false)
        try "1\n\(details.dataDirectory)\n0\n5432\n\n\n".write(toFile: details.dataDirectory + "/postmaster.pid", atomically: true, encoding: .utf8)
        if case .running = cluster.status() { Issue.record("a foreign PID was taken for our server") }
        #expect(try await cluster.start() == .started)
        #expect(try await pool.query("SELECT n FROM kept")[0].decode(Int.self, "n") == 7)
        #expect(try await cluster.stop())
    }

    @Test func aStartKilledBetweenInitdbAndTheSettingsLeavesNoClusterTheNextStartWouldUse() async throws {
        let folder = try TemporaryFolder(prefix: "siuo-staging")
        let requested = folder.path + "/pg"
        // What such a start left: a cluster without the private settings (TCP, trust authentication).
        let staging = requested + ".initializing"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try "15\n".write(toFile: staging + "/PG_VERSION", atomically: true, encoding: .utf8)
        try "listen_addresses = '*'\n".write(toFile: staging + "/postgresql.conf", atomically: true, encoding: .utf8)
        let cluster = EmbeddedPostgres(directory: requested, durable: false)
        defer {
            if case .stopped(let details) = cluster.status(), details.dataDirectory != requested {
                try? FileManager.default.removeItem(atPath: details.dataDirectory)
            }
            folder.remove()
        }
        #expect(cluster.status() == .notCreated, "a staging folder is not a cluster")
        #expect(try await cluster.start() == .created)
        guard case .running(_, let details) = cluster.status() else {
            Issue.record("not running after start")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: details.dataDirectory + ".initializing"), "the staging folder became the cluster")
        let pool = PostgresPool(url: cluster.url(), size: 1)
        #expect(try await pool.query("SELECT current_setting('listen_addresses') AS l")[0].decode(String.self, "l") == "")
        #expect(try await cluster.stop())
    }
}
