import Foundation
import Shared

extension JobStore {
    /// Gives back, at once, every lease the workers `workerIDs` hold, as if they
    /// had released them: back to the queue, no attempt counted. For workers
    /// known to be gone (the workers of a `siuo run` that was killed), whose
    /// leases would otherwise wait out their TTL. Returns how many were given back.
    public func releaseLeases(heldBy workerIDs: [String]) async throws -> Int {
        guard !workerIDs.isEmpty else { return 0 }
        let rows = try await pool.query(JobSQL.leasesHeldBy, [PostgresTextArray(workerIDs)])
        let leases = try rows.map { LeaseReference(jobID: try $0.decode(Int64.self, "id"), leaseToken: try $0.decode(UUID.self, "lease_token")) }
        guard !leases.isEmpty else { return 0 }
        return try await release(leases).filter { $0 == .accepted }.count
    }
}
