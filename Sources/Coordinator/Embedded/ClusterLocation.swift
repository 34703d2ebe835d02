import Foundation
import Shared

/// Where a private cluster's files and socket live.
///
/// The cluster lives in the folder the user asked for when the server account
/// can reach it. When it cannot (we are root in a folder `postgres` may not
/// enter), it lives under `/var/lib/siuo/clusters`, and the asked-for folder
/// holds only a `LOCATION` file pointing there: we never loosen the
/// permissions of the user's folders.
struct ClusterLocation: Sendable, Equatable {
    /// The folder the user named (`--data-dir`, default `./.siuo/postgres`).
    var requested: String
    /// The PostgreSQL data directory.
    var dataDirectory: String
    /// The folder holding the unix socket (the data directory when its path is short enough).
    var socketDirectory: String

    static let relocationRoot = "/var/lib/siuo/clusters"
    static let port = 5432

    var logFile: String { dataDirectory + "/server.log" }
    var isInitialized: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") }
    var isRelocated: Bool { dataDirectory != requested }

    /// The location of an existing cluster, or `nil` when there is none yet.
    static func existing(requested: String) -> ClusterLocation? {
        if FileManager.default.fileExists(atPath: requested + "/PG_VERSION") {
            return ClusterLocation(requested: requested, dataDirectory: requested)
        }
        if let recorded = try? String(contentsOfFile: requested + "/LOCATION", encoding: .utf8) {
            let path = recorded.trimmingCharacters(in: .whitespacesAndNewlines)
            if !path.isEmpty { return ClusterLocation(requested: requested, dataDirectory: path) }
        }
        return nil
    }

    /// The existing cluster's location, or a new one's, choosing where it can live.
    static func resolve(requested: String, account: ServerAccount) throws -> ClusterLocation {
        if let existing = existing(requested: requested) { return existing }
        try account.makePrivateFolder(requested)
        if account.canWrite(requested) {
            return ClusterLocation(requested: requested, dataDirectory: requested)
        }
        let relocated = relocationRoot + "/" + SHA256Hex.digest(requested).prefix(16)
        try? FileManager.default.createDirectory(atPath: relocationRoot, withIntermediateDirectories: true)
        try account.makePrivateFolder(relocated)
        // The requested folder goes back to us: it only holds the pointer now.
        chown(requested, geteuid(), getegid())
        do {
            try (relocated + "\n").write(toFile: requested + "/LOCATION", atomically: true, encoding: .utf8)
        } catch {
            throw EmbeddedPostgresError.folder(path: requested, reason: "cannot record the cluster's location: \(error.localizedDescription)")
        }
        return ClusterLocation(requested: requested, dataDirectory: relocated)
    }

    init(requested: String, dataDirectory: String) {
        self.requested = requested
        self.dataDirectory = dataDirectory
        self.socketDirectory = Self.socketDirectory(for: dataDirectory)
    }

    /// A unix socket path may hold about 107 bytes; deep folders (a temporary
    /// clone, say) get a short private folder under /tmp named after them.
    static func socketDirectory(for dataDirectory: String) -> String {
        let socketName = "/.s.PGSQL.\(port)"
        if dataDirectory.utf8.count + socketName.utf8.count <= 100 { return dataDirectory }
        return "/tmp/siuo-pg-" + SHA256Hex.digest(dataDirectory).prefix(16)
    }
}
