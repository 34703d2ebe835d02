import Foundation

/// Runs initdb and writes the settings that keep the cluster private.
struct ClusterInitializer {
    var binaries: PostgresBinaries
    var account: ServerAccount
    var durable: Bool

    func initialize(_ location: ClusterLocation) throws {
        try account.makePrivateFolder(location.dataDirectory)
        try account.runner.check(
            binaries.initdb,
            [
                "-D", location.dataDirectory, "-U", EmbeddedPostgres.role, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-instructions",
            ])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: location.dataDirectory + "/postgresql.conf"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings(location).utf8))
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
            "max_connections = 200",
            "shared_buffers = 128MB",
            "timezone = 'UTC'",
            "log_timezone = 'UTC'",
        ]
        if !durable {
            lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
