import Foundation
import Shared

/// What a `siuo run` leaves on disk while it runs: its process, the database
/// it uses, and its local workers' ids. When the run is killed (SIGKILL, OOM)
/// its workers cannot give their leases back; the next run on this machine
/// finds the record of a process that is gone and takes them back at once
/// instead of waiting out their TTL.
public struct LocalRunRecord: Codable, Sendable, Equatable {
    /// The run's process.
    public var process: ProcessIdentity
    /// SHA-256 of the database URL: a record acts only on its own database, and
    /// the URL (which may hold a password) is not written down.
    public var database: String
    /// The ids its workers lease under.
    public var workerIDs: [String]

    /// A record of this process's run on `databaseURL` with `workerIDs`.
    public init(process: ProcessIdentity = .current, databaseURL: String, workerIDs: [String]) {
        self.process = process
        self.database = Self.databaseKey(databaseURL)
        self.workerIDs = workerIDs
    }

    enum CodingKeys: String, CodingKey {
        case process, database, workerIDs = "worker_ids"
    }

    /// How a record names its database.
    public static func databaseKey(_ url: String) -> String {
        SHA256Hex.digest(url)
    }
}
