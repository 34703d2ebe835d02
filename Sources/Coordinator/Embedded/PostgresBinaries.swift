import Foundation

/// Where the PostgreSQL server programs are.
struct PostgresBinaries: Sendable {
    var initdb: String
    var pgCtl: String

    /// Looks on `PATH`, then in Debian's `/usr/lib/postgresql/<version>/bin`
    /// (not on `PATH` by default), newest version first.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        let pathFolders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versionRoot = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: versionRoot)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        let folders = pathFolders + versions.map { "\(versionRoot)/\($0)/bin" }
        for folder in folders {
            let initdb = "\(folder)/initdb"
            let pgCtl = "\(folder)/pg_ctl"
            let manager = FileManager.default
            if manager.isExecutableFile(atPath: initdb), manager.isExecutableFile(atPath: pgCtl) {
                return PostgresBinaries(initdb: initdb, pgCtl: pgCtl)
            }
        }
        throw EmbeddedPostgresError.binariesNotFound
    }
}
