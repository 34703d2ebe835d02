import Foundation
import Shared

extension JobStore {
    /// Records leases that ended without a result. Retryable failures go back
    /// to the queue with backoff until `max_attempts`; others fail the job.
    /// A throttle (429/529) slows the endpoint down for every worker and does
    /// not count as an attempt. Samples received before the failure are kept.
    public func fail(_ failures: [JobFailure]) async throws -> [ItemStatus] {
        // The whole batch is checked before anything is written.
        for failure in failures {
            try Self.validate(failure.usage, jobID: failure.lease.jobID)
            if let wait = failure.retryAfterMilliseconds, wait < 0 {
                throw InvalidResultError(jobID: failure.lease.jobID, reason: "retry_after_ms must not be negative")
            }
        }
        var statuses: [ItemStatus] = []
        var stated: [(bucketID: Int64, limits: ProviderLimits)] = []
        for failure in failures {
            let status: ItemStatus = try await pool.withTransaction { connection in
                guard let job = try await FencedJob.lock(failure.lease, on: connection) else { return .stale }
                if let limits = failure.limits { stated.append((job.bucketID, limits)) }
                // Each failure is its own transaction, so samples its job cannot have are dropped here, not
                // refused (a refusal part-way would leave the batch half written), and said in the log.
                let usable = failure.samples.filter { (0..<job.samples).contains($0.sampleIndex) && !job.kind.isJudge }
                if usable.count < failure.samples.count {
                    logger.warning(
                        "a failure held samples its job cannot have; dropped",
                        metadata: ["job": "\(job.id)", "dropped": "\(failure.samples.count - usable.count)"])
                }
                try await FencedJob.storeSamples(usable.map { (job.id, $0) }, on: connection)
                try await job.addUsage(failure.usage, on: connection)
                // Replies this lease decoded are used up: a retried request goes into a later batch.
                try await connection.query(BatchLineSQL.consumeAnswered, [PostgresTextArray([String(job.id)])])
                let retryAfter = failure.retryAfterMilliseconds.map { Self.delay(milliseconds: $0) }
                if failure.throttled {
                    try await throttle(bucket: job.bucketID, retryAfter: retryAfter, on: connection)
                }
                if failure.retryable {
                    let countsAsAttempt = !failure.throttled && failure.countsAsAttempt
                    try await endAttempt(job, error: failure.error, countsAsAttempt: countsAsAttempt, retryAfter: retryAfter, on: connection)
                    // Runnable at once only without a backoff, a provider's delay or a throttle: then wake
                    // lease waiters at commit (the others are found by their re-check when due).
                    if !failure.throttled && !countsAsAttempt && (retryAfter ?? 0) == 0 { try await connection.query(JobSQL.notify) }
                } else {
                    try await connection.query(JobSQL.failForGood, [job.id, job.attempts + 1, failure.error])
                }
                return .accepted
            }
            statuses.append(status)
        }
        // After the failures are written, like the settlement of results; its failure is logged, not the failures'.
        do {
            try await RateBucketStore.learn(stated, pool: pool)
        } catch {
            logger.warning("learning the limits stated with failures failed", metadata: ["error": "\(error)"])
        }
        return statuses
    }

    /// Gives leases back without counting an attempt (worker shutdown, or a
    /// lease that would expire before its retry), optionally not before a delay.
    public func release(_ leases: [LeaseReference], retryAfterMilliseconds: Int? = nil) async throws -> [ItemStatus] {
        var statuses: [ItemStatus] = []
        for lease in leases {
            let status: ItemStatus = try await pool.withTransaction { connection in
                guard let job = try await FencedJob.lock(lease, on: connection) else { return .stale }
                let delay = retryAfterMilliseconds.map { Self.delay(milliseconds: $0) } ?? 0
                var statements = [PostgresStatement(JobSQL.release, [job.id, delay])]
                // Runnable at once: lease waiters on every coordinator wake at commit.
                if delay == 0 { statements.append(PostgresStatement(JobSQL.notify)) }
                try await connection.pipeline(statements)
                return .accepted
            }
            statuses.append(status)
        }
        return statuses
    }

    /// A reported delay in seconds, within the bounds `ReportedDelay` sets.
    static func delay(milliseconds: Int) -> TimeInterval {
        ReportedDelay.seconds(milliseconds)
    }

    /// Multiplicative decrease (once per congestion event), and no tokens
    /// until the provider's delay is over.
    func throttle(bucket id: Int64, retryAfter: TimeInterval?, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(RateBucketSQL.lockForThrottle, [id])
        guard let row = rows.first else { return }
        let lastThrottledAt = try row.decode(Date?.self, "last_throttled_at")
        var rate = AdaptiveRate(
            configured: try row.decode(Double?.self, "ceiling"), current: try row.decode(Double.self, "current_rpm"),
            probed: try row.decode(Double?.self, "probed_rpm"), pushedBack: lastThrottledAt != nil)
        let now = try row.decode(Date.self, "now")
        let newEvent = AdaptiveRate.startsNewEvent(lastThrottledAt: lastThrottledAt, now: now)
        if newEvent { rate.throttled() }
        let until = now.addingTimeInterval(retryAfter ?? 60 / rate.current)
        try await connection.query(RateBucketSQL.applyThrottle, [id, rate.current, until, newEvent, rate.probed])
    }
}
