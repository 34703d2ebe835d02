import Foundation
import Shared

/// The lease engine: claims, fencing, results, failures and rescue (docs/architecture.md, "The life of a job").
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
    ///
    /// Tokens are taken first, in a short transaction of their own, then jobs
    /// are claimed without touching shared rows; tokens that found no job go
    /// back. So the limit holds across coordinators, and concurrent claimers
    /// only queue on the bucket row for a moment.
    public func claim(_ request: LeaseRequest) async throws -> [JobLease] {
        guard request.maxJobs > 0, !request.endpoints.isEmpty else { return [] }
        let models = try await runnableModels(request.endpoints, upTo: request.maxJobs)
        guard !models.isEmpty else { return [] }
        let wanted = Dictionary(models.map { ($0.bucketID, $0.jobs) }, uniquingKeysWith: +).map { (bucketID: $0.key, jobs: $0.value) }
        let grants = try await RateBucketStore.take(wanted, total: request.maxJobs, pool: pool)
        guard !grants.isEmpty else { return [] }
        var unused: [(bucketID: Int64, tokens: Int)] = []
        let claimed: [Int64]
        do {
            claimed = try await pool.withTransaction { connection in
                var claimed: [Int64] = []
                for (bucketID, tokens) in grants {
                    var left = tokens
                    for model in models where model.bucketID == bucketID && left > 0 {
                        let rows = try await connection.query(JobSQL.claim, [model.modelID, left, request.workerID, model.leaseTTL])
                        claimed += try rows.map { try $0.decode(Int64.self, "id") }
                        left -= rows.count
                    }
                    unused.append((bucketID, left))
                }
                return claimed
            }
        } catch {
            try? await RateBucketStore.giveBack(grants, pool: pool)
            throw error
        }
        try await RateBucketStore.giveBack(unused, pool: pool)
        guard !claimed.isEmpty else { return [] }
        return try await leaseDetails(claimed)
    }

    private struct RunnableModel {
        var modelID: Int64
        var bucketID: Int64
        var leaseTTL: Int
        var jobs: Int
    }

    /// A cheap look before taking tokens, so idle polls write nothing and
    /// tokens go where the work is.
    private func runnableModels(_ endpoints: [EndpointKey], upTo limit: Int) async throws -> [RunnableModel] {
        let rows = try await pool.query(JobSQL.runnableModels, [
            PostgresTextArray(endpoints.map(\.provider.rawValue)), PostgresTextArray(endpoints.map(\.baseURL)),
            PostgresTextArray(endpoints.map(\.model)), limit,
        ])
        return try rows.map { row in
            RunnableModel(modelID: try row.decode(Int64.self, "model_id"), bucketID: try row.decode(Int64.self, "bucket_id"),
                          leaseTTL: try row.decode(Int.self, "lease_ttl_s"), jobs: try row.decode(Int.self, "n"))
        }
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
        // A batch holds few models: decode each model's settings once.
        var models: [Int64: ModelSpec] = [:]
        return try rows.map { row in
            let modelID = try row.decode(Int64.self, "model_id")
            let model = try models[modelID] ?? decoder.decode(ModelSpec.self, from: Data(try row.decode(String.self, "settings").utf8))
            models[modelID] = model
            var fallback: ModelSpec?
            if let fallbackID = try row.decode(Int64?.self, "fallback_id") {
                fallback = try models[fallbackID] ?? decoder.decode(ModelSpec.self, from: Data(try row.decode(String.self, "fallback_settings").utf8))
                models[fallbackID] = fallback
            }
            let options = try row.decode(String?.self, "options").map { try decoder.decode([String: String].self, from: Data($0.utf8)) }
            let gradedIndex = try row.decode(Int?.self, "graded_index")
            let kind = JobKind(rawValue: try row.decode(String.self, "kind")) ?? .generate
            let received = try row.decode(String?.self, "received")?.split(separator: ",").compactMap { Int($0) } ?? []
            return JobLease(
                jobID: try row.decode(Int64.self, "id"), leaseToken: try row.decode(UUID.self, "lease_token"),
                expiresAt: try row.decode(Date.self, "lease_expires_at"),
                kind: kind,
                sweep: try row.decode(String.self, "sweep"), attempt: try row.decode(Int.self, "attempts") + 1,
                model: model,
                testCase: LeasedCase(
                    questionID: try row.decode(String.self, "question_id"), category: try row.decode(String.self, "category"),
                    question: try row.decode(String.self, "question"), imageSHA256: try row.decode(String.self, "image_sha256"),
                    imageMediaType: try row.decode(String.self, "media_type"),
                    safetyWarning: kind == .judgeSafety ? try row.decode(String.self, "safety_warning") : nil,
                    referenceAnswer: kind == .judgeSafety ? try row.decode(String.self, "reference_answer") : nil, options: options),
                samples: try row.decode(Int.self, "samples"), samplesReceived: received,
                response: try gradedIndex.map { GradedResponse(sampleIndex: $0, text: try row.decode(String.self, "graded_text")) },
                template: try row.decode(String?.self, "template"), fallbackModel: fallback, permits: 1,
                cacheNamespace: try row.decode(String?.self, "cache_namespace"), ttlSeconds: try row.decode(Int.self, "lease_ttl_s"))
        }
    }
}
