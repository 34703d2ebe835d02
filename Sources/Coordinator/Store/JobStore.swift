import Foundation
import Logging
import Shared

/// The lease engine: claims, fencing, results, failures and rescue (docs/architecture.md, "The life of a job").
/// Every write about a lease checks that the lease is still current, in the
/// transaction that writes, so a stale worker can never overwrite or
/// duplicate a result.
public struct JobStore: Sendable {
    let pool: PostgresPool
    let batchLane = BatchLaneHint()
    let logger: Logger

    /// A store on `pool`, logging what it recovers from to `logger`.
    public init(pool: PostgresPool, logger: Logger = Logger(label: "siuo.jobs")) {
        self.pool = pool
        self.logger = logger
    }

    /// Claims up to `request.maxJobs` jobs on the request's endpoints, one rate
    /// token each (the job's first request), within each bucket's
    /// `max_in_flight`. Returns at once; long-polling is the API's business.
    ///
    /// One round trip of three transactions (`PostgresConnection.pipeline(transactions:)`):
    /// the token take (`RateBucketSQL.take`), short and not waiting for the
    /// WAL flush, writes its grant to `lease_grants`; the claim
    /// (`JobSQL.claim`), durable, claims and reads jobs against that grant and
    /// records what it claimed, touching no shared row; the give-back
    /// (`RateBucketSQL.giveBackUnclaimed`), short again, returns the tokens
    /// that found no job. So the limit holds across coordinators, and
    /// concurrent claimers queue on the bucket rows for one statement, never
    /// through the claim's fsync.
    ///
    /// Batch-lane jobs come first and take no token (docs/architecture.md,
    /// "Batch mode"): their leases send nothing live.
    ///
    /// An endpoint named twice counts once: the batch-lane claim would
    /// otherwise pick its models' jobs twice (the take reads endpoints by a
    /// semi-join and needs no help).
    public func claim(_ request: LeaseRequest) async throws -> [JobLease] {
        var request = request
        var named: Set<EndpointKey> = []
        request.endpoints = request.endpoints.filter { named.insert($0).inserted }
        guard request.maxJobs > 0, !request.endpoints.isEmpty else { return [] }
        let batched = try await claimBatchLane(request)
        guard batched.count < request.maxJobs else { return batched }
        request.maxJobs -= batched.count
        do {
            return batched + (try await claimLiveLane(request))
        } catch  where !batched.isEmpty {
            // The batch-lane leases are committed: dropping them would leave their jobs leased to
            // nobody until their TTL, and the rescue would count an attempt against each.
            logger.warning("the live-lane claim failed; granting the batch-lane leases alone", metadata: ["error": "\(error)"])
            return batched
        }
    }

    /// Up to `request.maxJobs` batch-lane jobs; not looked for again for a
    /// moment after a look found none (`BatchLaneHint`).
    private func claimBatchLane(_ request: LeaseRequest) async throws -> [JobLease] {
        guard batchLane.shouldLook() else { return [] }
        let rows = try await pool.query(
            JobSQL.claimBatch, BatchStore.endpointArrays(request.endpoints) + [request.maxJobs, request.workerID])
        batchLane.record(found: !rows.isEmpty)
        return try Self.leases(from: rows)
    }

    private func claimLiveLane(_ request: LeaseRequest) async throws -> [JobLease] {
        let grant = UUID()
        let outcomes = try await pool.withConnection { connection in
            try await connection.pipeline(transactions: [
                RateBucketStore.take(request.endpoints, total: request.maxJobs, grant: grant),
                PipelinedTransaction(
                    genericPlans: true, [PostgresStatement(JobSQL.claim, [grant, request.workerID])]),
                RateBucketStore.giveBackUnclaimed(grant),
            ])
        }
        // The take's error first: without its grant the claim claimed nothing.
        // A failed give-back loses only tokens, which refill.
        _ = try outcomes[0].get()
        return try Self.leases(from: try outcomes[1].get()[0])
    }

    /// Extends the TTL of every current lease in `leases`.
    public func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemStatus] {
        guard !leases.isEmpty else { return [] }
        let rows = try await pool.query(
            JobSQL.heartbeat,
            [
                PostgresTextArray(leases.map { String($0.jobID) }), PostgresTextArray(leases.map { $0.leaseToken.canonicalText }),
            ])
        let extended = Set(try rows.map { try $0.decode(Int64.self, "id") })
        return leases.map { extended.contains($0.jobID) ? .accepted : .stale }
    }

    /// Expired leases back to the queue, at most `limit` per call; returns
    /// how many. Lease waiters on every coordinator wake when it commits.
    public func rescueExpiredLeases(limit: Int = 1000) async throws -> Int {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(JobSQL.rescue, [limit])
            if !rows.isEmpty { try await connection.query(JobSQL.notify) }
            return rows.count
        }
    }

    /// The rows of `JobSQL.claim` as leases.
    private static func leases(from rows: PostgresRows) throws -> [JobLease] {
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
            let options = try row.decode(String?.self, "options").map {
                try JSONBytesReader.stringMap(Array($0.utf8)) ?? decoder.decode([String: String].self, from: Data($0.utf8))
            }
            let gradedIndex = try row.decode(Int?.self, "graded_index")
            let kind = try row.decode(JobKind.self, "kind")
            let received = try row.decode(String?.self, "received")?.split(separator: ",").compactMap { Int($0) } ?? []
            let lease = JobLease(
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
                template: try row.decode(String?.self, "template"), fallbackModel: fallback, permits: try row.decode(Bool.self, "via_batch") ? 0 : 1,
                cacheNamespace: try row.decode(String?.self, "cache_namespace"), ttlSeconds: try row.decode(Int.self, "lease_ttl_s"),
                viaBatch: try row.decode(Bool.self, "via_batch"),
                batchReplies: try row.decode(String?.self, "batch_replies").map { try decoder.decode([BatchReply].self, from: Data($0.utf8)) } ?? [])
            return lease
        }
    }
}
