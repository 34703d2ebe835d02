import Foundation
import Shared

/// The job row behind a current lease, locked by the fencing query.
struct FencedJob {
    var id: Int64
    var kind: JobKind
    var samples: Int
    var attempts: Int
    var sweepID: Int64
    var responseID: Int64?
    var modelID: Int64
    var bucketID: Int64
    var price: Price?
    /// `batch` when the job's requests go through a provider batch.
    var lane: String

    /// The job behind `lease` if the lease is still current, else `nil`.
    static func lock(_ lease: LeaseReference, on connection: PostgresConnection) async throws -> FencedJob? {
        try await connection.query(JobSQL.fence, [lease.jobID, lease.leaseToken]).first.map(FencedJob.decode)
    }

    /// The jobs behind the current leases among `leases`, by job id.
    static func lock(_ leases: [LeaseReference], on connection: PostgresConnection) async throws -> [Int64: FencedJob] {
        let rows = try await connection.query(
            JobSQL.fenceBatch,
            [
                PostgresTextArray(leases.map { String($0.jobID) }), PostgresTextArray(leases.map { $0.leaseToken.canonicalText }),
            ])
        let jobs = try rows.map(FencedJob.decode)
        return Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Pairs each of `items` with its job in `fenced` (the current leases
    /// among them, `lock(_:on:)`), checking each pair with `check`; answers
    /// the pairs to write and every item's status in order: stale when its
    /// lease is not current or its job was listed before (a job listed twice
    /// in one request counts once).
    static func match<Item>(
        _ items: [Item], lease: (Item) -> LeaseReference, in fenced: [Int64: FencedJob], check: (Item, FencedJob) throws -> Void
    ) throws -> (current: [(Item, FencedJob)], statuses: [ItemStatus]) {
        var current: [(Item, FencedJob)] = []
        var statuses: [ItemStatus] = []
        var seen: Set<Int64> = []
        for item in items {
            guard let job = fenced[lease(item).jobID], seen.insert(job.id).inserted else {
                statuses.append(.stale)
                continue
            }
            try check(item, job)
            current.append((item, job))
            statuses.append(.accepted)
        }
        return (current, statuses)
    }

    static func decode(_ row: PostgresRow) throws -> FencedJob {
        // Read as two numbers, not as JSON: a batch fences a hundred rows.
        let input = try row.decode(Double?.self, "input_price")
        let output = try row.decode(Double?.self, "output_price")
        let discount = try row.decode(Double?.self, "batch_discount") ?? Price.defaultBatchDiscount
        let price = input.flatMap { input in output.map { Price(inputPerMTok: input, outputPerMTok: $0, batchDiscount: discount) } }
        return FencedJob(
            id: try row.decode(Int64.self, "id"), kind: try row.decode(JobKind.self, "kind"),
            samples: try row.decode(Int.self, "samples"), attempts: try row.decode(Int.self, "attempts"),
            sweepID: try row.decode(Int64.self, "sweep_id"),
            responseID: try row.decode(Int64?.self, "response_id"), modelID: try row.decode(Int64.self, "model_id"),
            bucketID: try row.decode(Int64.self, "rate_bucket_id"), price: price, lane: try row.decode(String.self, "lane"))
    }

    /// What `usage` cost at this model's prices (0 without prices).
    func cost(of usage: Usage) -> Double {
        price.map(usage.cost(at:)) ?? 0
    }

    func addUsage(_ usage: Usage, on connection: PostgresConnection) async throws {
        try await connection.query(
            JobSQL.addUsage,
            [
                id, usage.requests, usage.retries, usage.cacheHits,
                usage.inputTokens, usage.outputTokens, cost(of: usage), usage.batchRequests,
            ])
    }

    /// Stores `(job id, sample)` pairs in one round trip; samples already
    /// stored (an earlier lease sent them) are kept as they are.
    static func storeSamples(_ samples: [(jobID: Int64, sample: SampleResult)], on connection: PostgresConnection) async throws {
        let statements = try sampleStatements(samples)
        guard !statements.isEmpty else { return }
        try await connection.pipeline(statements)
    }

    /// The statements that store `(job id, sample)` pairs: the responses, and
    /// fresh answers into the cache (ones that came from it are there already).
    static func sampleStatements(_ samples: [(jobID: Int64, sample: SampleResult)]) throws -> [PostgresStatement] {
        guard !samples.isEmpty else { return [] }
        let responses = PostgresStatement(
            ResultSQL.insertResponses,
            [
                PostgresTextArray(samples.map { String($0.jobID) }), PostgresTextArray(samples.map { String($0.sample.sampleIndex) }),
                PostgresTextArray(samples.map { $0.sample.outcome.rawValue }), PostgresTextArray(samples.map { $0.sample.text }),
                PostgresNullableTextArray(samples.map { $0.sample.finishReason }),
                PostgresNullableTextArray(samples.map { $0.sample.resolvedModel }),
                PostgresNullableTextArray(samples.map { $0.sample.systemFingerprint }),
                PostgresTextArray(samples.map { String($0.sample.fromCache) }),
                PostgresNullableTextArray(samples.map { $0.sample.cacheKey }),
            ])
        let cached = try ResponseCacheStore.insert(
            samples.filter { !$0.sample.fromCache }.compactMap { item in
                item.sample.cacheKey.map {
                    CachedAnswer(
                        key: $0, outcome: item.sample.outcome, text: item.sample.text, finishReason: item.sample.finishReason,
                        resolvedModel: item.sample.resolvedModel, systemFingerprint: item.sample.systemFingerprint)
                }
            })
        return [responses] + (cached.map { [$0] } ?? [])
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
    ///
    /// Two round trips: BEGIN with the fencing read, then every write and
    /// COMMIT in one pipeline, which also carries, after a sync point, the
    /// buckets' settlement as a transaction of its own that does not wait for
    /// the WAL flush: bucket locks are never held through the results' fsync.
    ///
    /// Every statement here finds its jobs by id, so it runs on its generic
    /// plan: planning the finish for each call's values cost a millisecond a
    /// call and never found a better plan.
    public func complete(_ results: [JobResult]) async throws -> [ItemStatus] {
        guard !results.isEmpty else { return [] }
        return try await pool.withTransaction(genericPlans: true) { connection in
            // What can be checked without the job is checked for every item, stale or not, before anything is written.
            for result in results { try Self.validateShape(result) }
            let fenced = try await FencedJob.lock(results.map(\.lease), on: connection)
            let (current, statuses) = try FencedJob.match(results, lease: \.lease, in: fenced, check: validate)
            guard !current.isEmpty else { return statuses }
            var statements = try FencedJob.sampleStatements(current.flatMap { result, job in result.samples.map { (job.id, $0) } })
            statements += try verdictStatements(current)
            statements.append(finishStatement(current))
            // Batch replies the leases decoded are used up (a retry asks again).
            statements.append(PostgresStatement(BatchLineSQL.consumeAnswered, [PostgresTextArray(current.map { String($0.1.id) })]))
            let generated = current.filter { $0.1.kind == .generate }.map(\.1.id)
            if !generated.isEmpty {
                statements.append(PostgresStatement(JobSQL.createJudgeJobs, [PostgresTextArray(generated.map(String.init))]))
            }
            var successes: [Int64: BucketSpending] = [:]
            for (result, job) in current {
                // Only live requests the provider answered raise its rate; cached
                // and batch answers say nothing about it.
                let usage = result.usage
                successes[job.bucketID, default: BucketSpending()].requests += usage.requests - usage.batchRequests
                successes[job.bucketID, default: BucketSpending()].modelTokens +=
                    usage.inputTokens + usage.outputTokens - usage.batchInputTokens - usage.batchOutputTokens
            }
            let stated = current.compactMap { result, job in result.limits.map { (bucketID: job.bucketID, limits: $0) } }
            // The results are committed whatever the settlement does: a failure
            // there must not make the worker believe they were not, so it is logged.
            let (_, settlement) = try await connection.pipeline(
                statements + [.commit],
                then: RateBucketStore.softTransactions([RateBucketStore.learnStatement(stated), RateBucketStore.settleStatement(successes)]))
            if case .failure(let error) = settlement {
                logger.warning("the rate buckets' settlement after results failed", metadata: ["error": "\(error)"])
            }
            return statuses
        }
    }

    private func verdictStatements(_ items: [(JobResult, FencedJob)]) throws -> [PostgresStatement] {
        let verdicts = items.compactMap { result, job in result.verdict.map { (job, $0) } }
        guard !verdicts.isEmpty else { return [] }
        let insert = PostgresStatement(
            ResultSQL.insertVerdicts,
            [
                PostgresTextArray(verdicts.map { String($0.0.id) }), PostgresNullableTextArray(verdicts.map { $0.0.responseID.map(String.init) }),
                PostgresTextArray(verdicts.map { $0.0.kind == .judgeSafety ? "safety" : "effectiveness" }),
                PostgresTextArray(verdicts.map { String($0.0.modelID) }), PostgresNullableTextArray(verdicts.map { $0.1.value.map(String.init) }),
                PostgresNullableTextArray(verdicts.map { $0.1.label }), PostgresTextArray(verdicts.map { $0.1.judgeText }),
                PostgresTextArray(verdicts.map { String($0.1.attempts) }), PostgresTextArray(verdicts.map { String($0.1.byFallbackJudge) }),
            ])
        // Only a first ask that gave the verdict carries a key: refused or
        // unparseable judge answers never enter the cache.
        let cached = try ResponseCacheStore.insert(
            verdicts.compactMap { _, verdict in
                verdict.value == nil ? nil : verdict.cacheKey.map { CachedAnswer(key: $0, outcome: .answer, text: verdict.judgeText) }
            })
        return [insert] + (cached.map { [$0] } ?? [])
    }

    /// Adds each lease's usage and spend and ends the lease: done when the
    /// job's responses are all stored (judge jobs: always), else a failed
    /// attempt that keeps its samples (`JobSQL.finish`). The backoff of
    /// each possible retry is drawn here, where the random source is. A
    /// result that carries all its job's samples is complete without a count:
    /// `validate` has held its sample indexes distinct and in range.
    private func finishStatement(_ items: [(JobResult, FencedJob)]) -> PostgresStatement {
        let usages = items.map(\.0.usage)
        return PostgresStatement(
            JobSQL.finish,
            [
                PostgresTextArray(items.map { String($0.1.id) }), PostgresTextArray(usages.map { String($0.requests) }),
                PostgresTextArray(usages.map { String($0.retries) }), PostgresTextArray(usages.map { String($0.cacheHits) }),
                PostgresTextArray(usages.map { String($0.inputTokens) }), PostgresTextArray(usages.map { String($0.outputTokens) }),
                PostgresTextArray(items.map { "\($0.1.cost(of: $0.0.usage))" }),
                PostgresTextArray(items.map { "\(RetryBackoff.delay(afterAttempt: $0.1.attempts + 1, retryAfter: nil))" }),
                PostgresTextArray(usages.map { String($0.batchRequests) }),
                PostgresTextArray(items.map { String($0.1.kind.isJudge || $0.0.samples.count == $0.1.samples) }),
                PostgresTextArray(items.map { String($0.1.samples) }),
            ])
    }

    /// The most requests (and retries, cache hits, batch requests) one lease
    /// may report: far above what a lease can make, and small enough that a
    /// job's sums stay within their `integer` columns over thousands of leases.
    static let requestLimit = 1_000_000

    /// The most tokens one lease may report: far above any real request, far
    /// below where the `bigint` sums and the rate arithmetic would overflow.
    static let tokenLimit = 1 << 40

    /// Negative counts would lower a sweep's spend and slip past budget_usd;
    /// absurd ones would overflow the sums and the buckets.
    static func validate(_ usage: Usage, jobID: Int64) throws {
        let requests = [usage.requests, usage.retries, usage.cacheHits, usage.batchRequests]
        let tokens = [usage.inputTokens, usage.outputTokens, usage.batchInputTokens, usage.batchOutputTokens]
        if (requests + tokens).contains(where: { $0 < 0 }) {
            throw InvalidResultError(jobID: jobID, reason: "usage counts must not be negative")
        }
        if requests.contains(where: { $0 > requestLimit }) {
            throw InvalidResultError(jobID: jobID, reason: "usage request counts must be at most \(requestLimit)")
        }
        if tokens.contains(where: { $0 > tokenLimit }) {
            throw InvalidResultError(jobID: jobID, reason: "usage token counts must be at most \(tokenLimit)")
        }
        // Batch counts are parts of the totals: more would make the discount exceed the bill.
        if usage.batchRequests > usage.requests || usage.batchInputTokens > usage.inputTokens || usage.batchOutputTokens > usage.outputTokens {
            throw InvalidResultError(jobID: jobID, reason: "batch usage must be part of the total usage")
        }
    }

    /// The rules a result must keep whatever its job: usage in range, a
    /// verdict value of 1, 0 or null, asked at least once and at most
    /// `maxJudgeAsks` times.
    static func validateShape(_ result: JobResult) throws {
        try validate(result.usage, jobID: result.lease.jobID)
        if let value = result.verdict?.value, value != 0 && value != 1 {
            throw InvalidResultError(jobID: result.lease.jobID, reason: "verdict value must be 1, 0 or null")
        }
        if let attempts = result.verdict?.attempts, !(1...Self.maxJudgeAsks).contains(attempts) {
            throw InvalidResultError(jobID: result.lease.jobID, reason: "verdict attempts must be between 1 and \(Self.maxJudgeAsks)")
        }
    }

    /// The most times a verdict may say its judge was asked: far above the
    /// re-asks a worker makes.
    static let maxJudgeAsks = 1000

    /// The rules a result must keep for its job: a judge job's result is a
    /// verdict and nothing else; an answer job's holds samples in range, each
    /// once, and no verdict.
    private func validate(_ result: JobResult, for job: FencedJob) throws {
        if job.kind.isJudge {
            guard result.verdict != nil else { throw InvalidResultError(jobID: job.id, reason: "a judge result needs a verdict") }
            guard result.samples.isEmpty else { throw InvalidResultError(jobID: job.id, reason: "a judge result holds no samples") }
            return
        }
        guard result.verdict == nil else {
            throw InvalidResultError(jobID: job.id, reason: "only a judge job's result holds a verdict")
        }
        for sample in result.samples where !(0..<job.samples).contains(sample.sampleIndex) {
            throw InvalidResultError(jobID: job.id, reason: "sample_index \(sample.sampleIndex) is outside 0..<\(job.samples)")
        }
        if Set(result.samples.map(\.sampleIndex)).count != result.samples.count {
            throw InvalidResultError(jobID: job.id, reason: "a sample_index appears twice")
        }
    }

    /// Ends the lease as an attempt that did not finish the job: back to the
    /// queue with backoff (or after `retryAfter` when it does not count), or
    /// failed for good once out of attempts, as `siuo_state_after_attempt` decides.
    func endAttempt(_ job: FencedJob, error: String, countsAsAttempt: Bool, retryAfter: TimeInterval?, on connection: PostgresConnection) async throws
    {
        let attempts = job.attempts + (countsAsAttempt ? 1 : 0)
        let delay = countsAsAttempt ? RetryBackoff.delay(afterAttempt: attempts, retryAfter: retryAfter) : (retryAfter ?? 0)
        try await connection.query(JobSQL.endAttempt, [job.id, delay, attempts, error])
    }
}
