import Foundation

/// Runs initdb and writes the settings that keep the cluster private.
struct ClusterInitializer {
    var binaries: PostgresBinaries
    var account: ServerAccount
    var durable: Bool

    /// Creates the cluster in a staging folder beside the data directory and
    /// moves it into place only once its settings are written: a start
    /// killed half-way (between initdb and the settings) must not leave a
    /// cluster that the next start would take as ready, one that listens on
    /// TCP with trust authentication. A staging folder left by such a start
    /// is replaced.
    func initialize(_ location: ClusterLocation) throws {
        let staging = location.dataDirectory + ".initializing"
        try? FileManager.default.removeItem(atPath: staging)
        try account.makePrivateFolder(staging)
        try account.runner.check(
            binaries.initdb,
            [
                "-D", staging, "-U", EmbeddedPostgres.role, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-instructions",
            ])
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: staging + "/postgresql.conf"))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(settings(location).utf8))
        } catch {
            throw EmbeddedPostgresError.folder(path: staging, reason: "cannot write the cluster's settings: \(error.localizedDescription)")
        }
        // The data directory exists, empty, when `ClusterLocation.resolve` made it; rename(2) replaces an empty folder.
        guard rename(staging, location.dataDirectory) == 0 else {
            throw EmbeddedPostgresError.folder(
                path: location.dataDirectory, reason: "cannot move the new cluster into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Trust authentication is safe only because nobody else can reach the
    /// socket: no TCP listener, and a socket only the owner may open.
    func settings(_ location: ClusterLocation) -> String {
        var lines = [
            "",
            "# siuo-sweep: a private cluster reachable only through its unix socket",
            "listen_addresses = ''",
            "unix_socket_directories = '\(location.socketDirectory.replacingOccurrences(of: "'", with: "''"))'",
            "unix_socket_permissions = 0700",
            "port = \(ClusterLocation.port)",
            // A test run's ~150 suites start at once, each with its pools and coordinators: about 195
            // connections at the peak on a 2-core machine, so a cluster for tests has room for more than twice that.
            "max_connections = \(durable ? 200 : 500)",
            "shared_buffers = 128MB",
            "timezone = 'UTC'",
            "log_timezone = 'UTC'",
        ]
        if !durable {
            lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
            // Tests migrate dozens of fresh databases at once, each migration one transaction holding a lock
            // on every table and index it touches: the default 64 per connection ran out ("out of shared memory").
            lines += ["max_locks_per_transaction = 256"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
