import Foundation
import Shared

/// The job row behind a current lease, locked by the fencing query.
struct FencedJob {
    var id: Int64
    var kind: JobKind
    var samples: Int
    var attempts: Int
    var maxAttempts: Int
    var responseID: Int64?
    var modelID: Int64
    var bucketID: Int64
    var price: Price?

    /// The job behind `lease` if the lease is still current, else `nil`.
    static func lock(_ lease: LeaseReference, on connection: PostgresConnection) async throws -> FencedJob? {
        guard let row = try await connection.query(JobSQL.fence, [lease.jobID, lease.leaseToken]).first else { return nil }
        let price = try row.decode(JSONValue?.self, "price").flatMap { try? JSONDecoder().decode(Price.self, from: $0.canonicalData()) }
        return FencedJob(
            id: try row.decode(Int64.self, "id"), kind: JobKind(rawValue: try row.decode(String.self, "kind")) ?? .generate,
            samples: try row.decode(Int.self, "samples"), attempts: try row.decode(Int.self, "attempts"),
            maxAttempts: try row.decode(Int.self, "max_attempts"), responseID: try row.decode(Int64?.self, "response_id"),
            modelID: try row.decode(Int64.self, "model_id"), bucketID: try row.decode(Int64.self, "rate_bucket_id"), price: price)
    }

    /// What `usage` cost at this model's prices (0 without prices).
    func cost(of usage: Usage) -> Double {
        guard let price else { return 0 }
        return (Double(usage.inputTokens) * price.inputPerMTok + Double(usage.outputTokens) * price.outputPerMTok) / 1_000_000
    }

    func addUsage(_ usage: Usage, on connection: PostgresConnection) async throws {
        try await connection.query(JobSQL.addUsage, [id, usage.requests, usage.retries, usage.cacheHits,
                                                      usage.inputTokens, usage.outputTokens, cost(of: usage)])
    }

    func storeSamples(_ samples: [SampleResult], on connection: PostgresConnection) async throws {
        for sample in samples {
            try await connection.query(JobSQL.insertResponse, [
                id, sample.sampleIndex, sample.outcome.rawValue, sample.text, sample.finishReason,
                sample.resolvedModel, sample.systemFingerprint, sample.fromCache,
            ])
        }
    }
}

/// A result or failure whose content cannot be right, whatever the lease.
public struct InvalidResultError: Error, CustomStringConvertible {
    /// The job it was about.
    public var jobID: Int64
    /// What is wrong.
    public var reason: String

    /// "job 12: reason".
    public var description: String { "job \(jobID): \(reason)" }
}

extension JobStore {
    /// Writes finished leases: responses or verdict, usage, the job's end and,
    /// for generate jobs, their judge jobs, each item in one transaction with
    /// its fencing check. Stale items write nothing.
    public func complete(_ results: [JobResult]) async throws -> [ItemStatus] {
        var statuses: [ItemStatus] = []
        var successesPerBucket: [Int64: Int] = [:]
        var createdWork = false
        for result in results {
            let outcome: (status: ItemStatus, bucket: Int64?, judges: Bool) = try await pool.withTransaction { connection in
                guard let job = try await FencedJob.lock(result.lease, on: connection) else { return (.stale, nil, false) }
                try validate(result, for: job)
                try await job.addUsage(result.usage, on: connection)
                if job.kind.isJudge {
                    try await storeVerdict(result.verdict!, for: job, on: connection)
                } else {
                    try await job.storeSamples(result.samples, on: connection)
                    let stored = try await connection.query(JobSQL.responseCount, [job.id])[0].decode(Int.self, "n")
                    if stored < job.samples {
                        let error = "the result held \(stored) of \(job.samples) samples"
                        try await requeueOrFail(job, error: error, countsAsAttempt: true, retryAfter: nil, on: connection)
                        return (.accepted, job.bucketID, false)
                    }
                }
                try await connection.query(JobSQL.finish, [job.id])
                var judges = false
                if job.kind == .generate {
                    judges = try await connection.query(JobSQL.createJudgeJobs, [job.id]).affectedRows > 0
                }
                return (.accepted, job.bucketID, judges)
            }
            statuses.append(outcome.status)
            if let bucket = outcome.bucket { successesPerBucket[bucket, default: 0] += max(1, result.usage.requests) }
            createdWork = createdWork || outcome.judges
        }
        for (bucket, successes) in successesPerBucket {
            try await pool.query(RateBucketSQL.recover, [bucket, successes, AdaptiveRate.increasePerSuccess])
        }
        if createdWork { try await pool.query(JobSQL.notify) }
        return statuses
    }

    private func validate(_ result: JobResult, for job: FencedJob) throws {
        if job.kind.isJudge {
            guard let verdict = result.verdict else { throw InvalidResultError(jobID: job.id, reason: "a judge result needs a verdict") }
            guard verdict.value == nil || verdict.value == 0 || verdict.value == 1 else {
                throw InvalidResultError(jobID: job.id, reason: "verdict value must be 1, 0 or null")
            }
            return
        }
        for sample in result.samples where !(0..<job.samples).contains(sample.sampleIndex) {
            throw InvalidResultError(jobID: job.id, reason: "sample_index \(sample.sampleIndex) is outside 0..<\(job.samples)")
        }
        if Set(result.samples.map(\.sampleIndex)).count != result.samples.count {
            throw InvalidResultError(jobID: job.id, reason: "a sample_index appears twice")
        }
    }

    private func storeVerdict(_ verdict: VerdictResult, for job: FencedJob, on connection: PostgresConnection) async throws {
        let kind = job.kind == .judgeSafety ? "safety" : "effectiveness"
        try await connection.query(JobSQL.insertVerdict, [
            job.id, job.responseID, kind, job.modelID, verdict.value, verdict.label, verdict.judgeText, verdict.attempts,
        ])
    }

    /// Requeues with backoff, or fails the job for good once it is out of attempts.
    func requeueOrFail(_ job: FencedJob, error: String, countsAsAttempt: Bool, retryAfter: TimeInterval?, on connection: PostgresConnection) async throws {
        let attempts = job.attempts + (countsAsAttempt ? 1 : 0)
        if attempts >= job.maxAttempts {
            try await connection.query(JobSQL.failForGood, [job.id, attempts, error])
            return
        }
        let delay = countsAsAttempt ? RetryBackoff.delay(afterAttempt: attempts, retryAfter: retryAfter) : (retryAfter ?? 0)
        try await connection.query(JobSQL.requeue, [job.id, Date().addingTimeInterval(delay), attempts, error])
    }
}
