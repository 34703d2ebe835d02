import Foundation
import Shared

/// The lease engine: claims, fencing, results, failures and rescue (DESIGN §3).
/// Every write about a lease checks that the lease is still current, in the
/// transaction that writes, so a stale worker can never overwrite or
/// duplicate a result.
public struct JobStore: Sendable {
    let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Claims up to `request.maxJobs` jobs on the request's endpoints, one rate
    /// token each (the job's first request), within each bucket's
    /// `max_in_flight`. Returns at once; long-polling is the API's business.
    public func claim(_ request: LeaseRequest) async throws -> [JobLease] {
        guard request.maxJobs > 0, !request.endpoints.isEmpty else { return [] }
        let claimed: [Int64] = try await pool.withTransaction { connection in
            let (buckets, now) = try await RateBucketStore.lock(request.endpoints, on: connection)
            let inFlight = try await RateBucketStore.inFlight(buckets.map(\.id), on: connection)
            var remaining = request.maxJobs
            var claimed: [Int64] = []
            for var locked in buckets where remaining > 0 {
                let room = locked.maxInFlight.map { max(0, $0 - (inFlight[locked.id] ?? 0)) } ?? remaining
                let offered = locked.take(upTo: min(remaining, room), at: now)
                guard offered > 0 else {
                    try await RateBucketStore.save(locked, on: connection)
                    continue
                }
                let rows = try await connection.query(JobSQL.claim, [locked.id, offered, request.workerID])
                let ids = try rows.map { try $0.decode(Int64.self, "id") }
                // Tokens not matched by a job go back into the bucket.
                locked.bucket.tokens += Double(offered - ids.count)
                try await RateBucketStore.save(locked, on: connection)
                claimed += ids
                remaining -= ids.count
            }
            return claimed
        }
        guard !claimed.isEmpty else { return [] }
        return try await leaseDetails(claimed)
    }

    /// Extends the TTL of every current lease in `leases`.
    public func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemStatus] {
        guard !leases.isEmpty else { return [] }
        let rows = try await pool.query(JobSQL.heartbeat, [
            PostgresTextArray(leases.map { String($0.jobID) }), PostgresTextArray(leases.map { $0.leaseToken.uuidString }),
        ])
        let extended = Set(try rows.map { try $0.decode(Int64.self, "id") })
        return leases.map { extended.contains($0.jobID) ? .accepted : .stale }
    }

    /// Expired leases back to the queue, at most `limit` per call; returns how many.
    public func rescueExpiredLeases(limit: Int = 1000) async throws -> Int {
        let rows = try await pool.query(JobSQL.rescue, [limit])
        if !rows.isEmpty { try await pool.query(JobSQL.notify) }
        return rows.count
    }

    private func leaseDetails(_ ids: [Int64]) async throws -> [JobLease] {
        let rows = try await pool.query(JobSQL.leaseDetails, [PostgresTextArray(ids.map(String.init))])
        let decoder = JSONDecoder()
        return try rows.map { row in
            let settings = try row.decode(JSONValue.self, "settings")
            let options = try row.decode(JSONValue?.self, "options")?.objectValue?.compactMapValues(\.stringValue)
            let gradedIndex = try row.decode(Int?.self, "graded_index")
            let received = try row.decode(String?.self, "received")?.split(separator: ",").compactMap { Int($0) } ?? []
            return JobLease(
                jobID: try row.decode(Int64.self, "id"), leaseToken: try row.decode(UUID.self, "lease_token"),
                expiresAt: try row.decode(Date.self, "lease_expires_at"),
                kind: JobKind(rawValue: try row.decode(String.self, "kind")) ?? .generate,
                sweep: try row.decode(String.self, "sweep"), attempt: try row.decode(Int.self, "attempts") + 1,
                model: try decoder.decode(ModelSpec.self, from: settings.canonicalData()),
                testCase: LeasedCase(
                    questionID: try row.decode(String.self, "question_id"), category: try row.decode(String.self, "category"),
                    question: try row.decode(String.self, "question"), imageSHA256: try row.decode(String.self, "image_sha256"),
                    imageMediaType: try row.decode(String.self, "media_type"),
                    safetyWarning: try row.decode(String.self, "safety_warning"),
                    referenceAnswer: try row.decode(String.self, "reference_answer"), options: options),
                samples: try row.decode(Int.self, "samples"), samplesReceived: received,
                response: try gradedIndex.map { GradedResponse(sampleIndex: $0, text: try row.decode(String.self, "graded_text")) },
                template: try row.decode(String?.self, "template"), permits: 1)
        }
    }
}
