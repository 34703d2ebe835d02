import Foundation
import Shared

/// The job row behind a current lease, locked by the fencing query.
struct FencedJob {
    var id: Int64
    var kind: JobKind
    var samples: Int
    var attempts: Int
    var maxAttempts: Int
    var sweepID: Int64
    var responseID: Int64?
    var modelID: Int64
    var bucketID: Int64
    var price: Price?

    /// The job behind `lease` if the lease is still current, else `nil`.
    static func lock(_ lease: LeaseReference, on connection: PostgresConnection) async throws -> FencedJob? {
        try await connection.query(JobSQL.fence, [lease.jobID, lease.leaseToken]).first.map(FencedJob.decode)
    }

    /// The jobs behind the current leases among `leases`, by job id.
    static func lock(_ leases: [LeaseReference], on connection: PostgresConnection) async throws -> [Int64: FencedJob] {
        let rows = try await connection.query(ResultSQL.fenceBatch, [
            PostgresTextArray(leases.map { String($0.jobID) }), PostgresTextArray(leases.map { $0.leaseToken.uuidString }),
        ])
        let jobs = try rows.map(FencedJob.decode)
        return Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func decode(_ row: PostgresRow) throws -> FencedJob {
        let price = try row.decode(JSONValue?.self, "price").flatMap { try? JSONDecoder().decode(Price.self, from: $0.canonicalData()) }
        return FencedJob(
            id: try row.decode(Int64.self, "id"), kind: JobKind(rawValue: try row.decode(String.self, "kind")) ?? .generate,
            samples: try row.decode(Int.self, "samples"), attempts: try row.decode(Int.self, "attempts"),
            maxAttempts: try row.decode(Int.self, "max_attempts"), sweepID: try row.decode(Int64.self, "sweep_id"),
            responseID: try row.decode(Int64?.self, "response_id"), modelID: try row.decode(Int64.self, "model_id"),
            bucketID: try row.decode(Int64.self, "rate_bucket_id"), price: price)
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

    /// Stores `(job id, sample)` pairs in one statement; samples already
    /// stored (an earlier lease sent them) are kept as they are.
    static func storeSamples(_ samples: [(jobID: Int64, sample: SampleResult)], on connection: PostgresConnection) async throws {
        guard !samples.isEmpty else { return }
        try await connection.query(ResultSQL.insertResponses, [
            PostgresTextArray(samples.map { String($0.jobID) }), PostgresTextArray(samples.map { String($0.sample.sampleIndex) }),
            PostgresTextArray(samples.map { $0.sample.outcome.rawValue }), PostgresTextArray(samples.map { $0.sample.text }),
            PostgresNullableTextArray(samples.map { $0.sample.finishReason }),
            PostgresNullableTextArray(samples.map { $0.sample.resolvedModel }),
            PostgresNullableTextArray(samples.map { $0.sample.systemFingerprint }),
            PostgresTextArray(samples.map { String($0.sample.fromCache) }),
            PostgresNullableTextArray(samples.map { $0.sample.cacheKey }),
        ])
        // Fresh answers feed the cache; ones that came from it are there already.
        try await ResponseCacheStore.store(samples.filter { !$0.sample.fromCache }.compactMap { item in
            item.sample.cacheKey.map {
                CachedAnswer(key: $0, outcome: item.sample.outcome, text: item.sample.text, finishReason: item.sample.finishReason,
                             resolvedModel: item.sample.resolvedModel, systemFingerprint: item.sample.systemFingerprint)
            }
        }, on: connection)
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
    /// Writes a batch of finished leases in one transaction: responses or
    /// verdicts, usage and spend, the jobs' end and, for generate jobs, their
    /// judge jobs. Each item is fenced: a stale one writes nothing. A batch
    /// with an impossible item (a sample index out of range, a judge result
    /// without a verdict) is refused whole, before anything is written.
    public func complete(_ results: [JobResult]) async throws -> [ItemStatus] {
        guard !results.isEmpty else { return [] }
        let (statuses, judgesCreated, successes) = try await pool.withTransaction { connection in
            let fenced = try await FencedJob.lock(results.map(\.lease), on: connection)
            var current: [(JobResult, FencedJob)] = []
            var statuses: [ItemStatus] = []
            var seen: Set<Int64> = []
            for result in results {
                // A job listed twice in one batch counts once.
                guard let job = fenced[result.lease.jobID], seen.insert(job.id).inserted else {
                    statuses.append(.stale)
                    continue
                }
                try validate(result, for: job)
                current.append((result, job))
                statuses.append(.accepted)
            }
            guard !current.isEmpty else { return (statuses, false, [Int64: BucketSpending]()) }
            try await FencedJob.storeSamples(current.flatMap { result, job in result.samples.map { (job.id, $0) } }, on: connection)
            try await insertVerdicts(current, on: connection)
            let finished = try await finishComplete(current, on: connection)
            let generated = finished.filter { $0.kind == .generate }.map(\.id)
            var judges = false
            if !generated.isEmpty {
                judges = try await connection.query(ResultSQL.createJudgeJobs, [PostgresTextArray(generated.map(String.init))]).affectedRows > 0
            }
            var successes: [Int64: BucketSpending] = [:]
            for (result, job) in current {
                // Only requests the provider answered raise its rate; cached answers say nothing about it.
                successes[job.bucketID, default: BucketSpending()].requests += result.usage.requests
                successes[job.bucketID, default: BucketSpending()].modelTokens += result.usage.inputTokens + result.usage.outputTokens
            }
            return (statuses, judges, successes)
        }
        // The results are committed: a failure to adjust the buckets must not
        // make the worker believe they were not (it is retried with the next results).
        try? await RateBucketStore.settle(successes.filter { $0.value.requests > 0 }, pool: pool)
        if judgesCreated { try await pool.query(JobSQL.notify) }
        return statuses
    }

    private func insertVerdicts(_ items: [(JobResult, FencedJob)], on connection: PostgresConnection) async throws {
        let verdicts = items.compactMap { result, job in result.verdict.map { (job, $0) } }
        guard !verdicts.isEmpty else { return }
        try await connection.query(ResultSQL.insertVerdicts, [
            PostgresTextArray(verdicts.map { String($0.0.id) }), PostgresNullableTextArray(verdicts.map { $0.0.responseID.map(String.init) }),
            PostgresTextArray(verdicts.map { $0.0.kind == .judgeSafety ? "safety" : "effectiveness" }),
            PostgresTextArray(verdicts.map { String($0.0.modelID) }), PostgresNullableTextArray(verdicts.map { $0.1.value.map(String.init) }),
            PostgresNullableTextArray(verdicts.map { $0.1.label }), PostgresTextArray(verdicts.map { $0.1.judgeText }),
            PostgresTextArray(verdicts.map { String($0.1.attempts) }),
        ])
        // Only a first ask that gave the verdict carries a key: refused or
        // unparseable judge answers never enter the cache.
        try await ResponseCacheStore.store(verdicts.compactMap { _, verdict in
            verdict.value == nil ? nil : verdict.cacheKey.map { CachedAnswer(key: $0, outcome: .answer, text: verdict.judgeText) }
        }, on: connection)
    }

    /// Finishes the jobs whose responses are all stored, adding usage and
    /// spend; a generate result missing samples keeps them and goes back to
    /// the queue as a failed attempt.
    private func finishComplete(_ items: [(JobResult, FencedJob)], on connection: PostgresConnection) async throws -> [FencedJob] {
        let answering = items.filter { !$0.1.kind.isJudge }.map(\.1.id)
        var stored: [Int64: Int] = [:]
        if !answering.isEmpty {
            for row in try await connection.query(ResultSQL.responseCounts, [PostgresTextArray(answering.map(String.init))]) {
                stored[try row.decode(Int64.self, "job_id")] = try row.decode(Int.self, "n")
            }
        }
        var finished: [(JobResult, FencedJob)] = []
        for (result, job) in items {
            let count = stored[job.id] ?? 0
            if job.kind.isJudge || count >= job.samples {
                finished.append((result, job))
            } else {
                try await job.addUsage(result.usage, on: connection)
                try await requeueOrFail(job, error: "the result held \(count) of \(job.samples) samples", countsAsAttempt: true, retryAfter: nil, on: connection)
            }
        }
        guard !finished.isEmpty else { return [] }
        let costs = finished.map { $0.1.cost(of: $0.0.usage) }
        try await connection.query(ResultSQL.finishWithUsage, [
            PostgresTextArray(finished.map { String($0.1.id) }), PostgresTextArray(finished.map { String($0.0.usage.requests) }),
            PostgresTextArray(finished.map { String($0.0.usage.retries) }), PostgresTextArray(finished.map { String($0.0.usage.cacheHits) }),
            PostgresTextArray(finished.map { String($0.0.usage.inputTokens) }), PostgresTextArray(finished.map { String($0.0.usage.outputTokens) }),
            PostgresTextArray(costs.map { "\($0)" }),
        ])
        try await connection.query(ResultSQL.addSpend, [
            PostgresTextArray(finished.map { String($0.1.sweepID) }), PostgresTextArray(costs.map { "\($0)" }),
        ])
        return finished.map(\.1)
    }

    /// The most any usage count may be: far above any real request, far below
    /// where sums and the rate arithmetic would overflow.
    static let usageLimit = 1 << 40

    /// Negative counts would lower a sweep's spend and slip past budget_usd;
    /// absurd ones would overflow the sums and the buckets.
    static func validate(_ usage: Usage, jobID: Int64) throws {
        let counts = [usage.requests, usage.retries, usage.cacheHits, usage.inputTokens, usage.outputTokens]
        if counts.contains(where: { $0 < 0 }) {
            throw InvalidResultError(jobID: jobID, reason: "usage counts must not be negative")
        }
        if counts.contains(where: { $0 > usageLimit }) {
            throw InvalidResultError(jobID: jobID, reason: "usage counts must be at most \(usageLimit)")
        }
    }

    private func validate(_ result: JobResult, for job: FencedJob) throws {
        try Self.validate(result.usage, jobID: job.id)
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
