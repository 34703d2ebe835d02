import Foundation
import Shared

extension JobStore {
    /// Grants rate tokens from each endpoint's bucket, all in one transaction.
    /// An unknown endpoint gets nothing: no sweep uses it.
    public func grantPermits(_ requests: [PermitRequest]) async throws -> [PermitGrant] {
        guard !requests.isEmpty else { return [] }
        return try await pool.withTransaction(durable: false) { connection in
            let endpoints = Array(Set(requests.map(\.endpoint)))
            let (locked, now) = try await RateBucketStore.lock(endpoints, on: connection)
            var buckets = Dictionary(uniqueKeysWithValues: locked.map { ($0.endpoint, $0) })
            var grants: [PermitGrant] = []
            var granting: Set<Int64> = []
            for request in requests {
                guard var bucket = buckets[request.endpoint], request.count > 0 else {
                    grants.append(PermitGrant(granted: 0, retryAfterMilliseconds: nil))
                    continue
                }
                let granted = bucket.take(upTo: request.count, at: now)
                var wait: Int?
                if granted < request.count {
                    wait = Int((bucket.timeUntilNextGrant(at: now) * 1000).rounded(.up))
                }
                buckets[request.endpoint] = bucket
                if granted > 0 { granting.insert(bucket.id) }
                grants.append(PermitGrant(granted: granted, retryAfterMilliseconds: wait))
            }
            // Only buckets that granted changed: an empty poll writes nothing.
            for bucket in buckets.values where granting.contains(bucket.id) {
                try await RateBucketStore.save(bucket, on: connection)
            }
            return grants
        }
    }
}
