import Foundation
import Shared

extension SweepStore {
    /// A state change a user asks for.
    public enum Action: String, Sendable {
        /// Stop leasing; leased jobs finish.
        case pause
        /// Lease again.
        case resume
        /// Stop for good: runnable and leased jobs are cancelled; late results are refused.
        case cancel
    }

    /// Applies `action` to the sweep `name`.
    public func apply(_ action: Action, to name: String) async throws {
        try await pool.withTransaction { connection in
            let sweepID = try await Self.sweepID(name, on: connection)
            switch action {
            case .pause:
                try await connection.query(SweepSQL.setState, [sweepID, SweepState.paused.rawValue])
            case .resume:
                try await connection.query(JobSQL.requeueCancelled, [sweepID])
                try await connection.query(SweepSQL.setState, [sweepID, SweepState.running.rawValue])
                try await connection.query(JobSQL.notify)
            case .cancel:
                try await connection.query(JobSQL.cancelUnfinished, [sweepID])
                try await connection.query(BatchLineSQL.dropPending, [sweepID])
                try await connection.query(SweepSQL.setState, [sweepID, SweepState.cancelled.rawValue])
            }
        }
    }

    /// Requeues the sweep's failed jobs with fresh attempts; returns how many.
    public func retryFailed(_ name: String) async throws -> Int {
        try await pool.withTransaction { connection in
            let sweepID = try await Self.sweepID(name, on: connection)
            let count = try await connection.query(JobSQL.retryFailed, [sweepID]).affectedRows
            if count > 0 { try await connection.query(JobSQL.notify) }
            return count
        }
    }

    /// Job counts by state, and by model and kind (docs/protocol.md, "The report").
    public func status(_ name: String) async throws -> SweepStatus {
        guard let row = try await pool.query(SweepSQL.byName, [name]).first else { throw SweepStoreError.notFound(name) }
        let rows = try await pool.query(SweepSQL.counts, [try row.decode(Int64.self, "id")])
        var jobs = JobCounts()
        var models: [String: [String: KindCounts]] = [:]
        for count in rows {
            let n = try count.decode(Int.self, "n")
            let state = try count.decode(JobState.self, "state")
            let model = try count.decode(String.self, "model")
            let kind = try count.decode(JobKind.self, "kind").rawValue
            jobs.add(n, state: state)
            models[model, default: [:]][kind, default: KindCounts()].total += n
            if state == .done { models[model, default: [:]][kind, default: KindCounts()].done += n }
        }
        for detail in try await pool.query(SweepSQL.progress, [try row.decode(Int64.self, "id")]) {
            let model = try detail.decode(String.self, "model")
            let kind = try detail.decode(JobKind.self, "kind").rawValue
            var counts = models[model, default: [:]][kind, default: KindCounts()]
            counts.failed = try detail.decode(Int.self, "failed")
            counts.retries = try detail.decode(Int.self, "retries")
            counts.tokens = try detail.decode(Int.self, "tokens")
            counts.refusals = try detail.decode(Int.self, "refusals")
            counts.blocked = try detail.decode(Int.self, "blocked")
            counts.judgeFailures = try detail.decode(Int.self, "judge_failures")
            models[model, default: [:]][kind] = counts
        }
        let failures = try await failures(sweepID: try row.decode(Int64.self, "id"))
        let state = SweepState.shown(told: try row.decode(SweepState.self, "state"), jobs: jobs)
        return SweepStatus(
            name: name, state: state, jobs: jobs, models: models,
            spentUSD: try row.decode(Double.self, "spent_usd"), budgetUSD: try row.decode(Double?.self, "budget_usd"),
            batches: try await BatchStore(pool: pool).summaries(sweepID: try row.decode(Int64.self, "id")),
            limits: try await pool.query(RateBucketSQL.ofSweep, [try row.decode(Int64.self, "id")]).map { limit in
                let tpm = try limit.decode(Double?.self, "tpm")
                return EndpointLimit(
                    model: try limit.decode(String.self, "model"), provider: try limit.decode(Provider.self, "provider"),
                    rpm: try limit.decode(Double.self, "current_rpm"), rpmSource: try limit.decode(String.self, "rpm_source"),
                    tpm: tpm, tpmSource: tpm == nil ? nil : try limit.decode(String.self, "tpm_source"))
            }, failures: failures)
    }

    /// Per model, the jobs that failed for good and their most recent distinct errors.
    private func failures(sweepID: Int64) async throws -> [ModelFailures] {
        let length = ModelFailures.errorLength
        var failures: [ModelFailures] = []
        for row in try await pool.query(SweepSQL.failures, [sweepID, length, ModelFailures.shownErrors]) {
            let model = try row.decode(String.self, "model")
            var message = try row.decode(String.self, "message")
            if try row.decode(Bool.self, "cut") { message = String(message.prefix(length - 1)) + "…" }
            let error = FailureError(message: message, count: try row.decode(Int.self, "n"))
            if failures.last?.model == model {
                failures[failures.count - 1].errors.append(error)
            } else {
                failures.append(ModelFailures(model: model, failed: try row.decode(Int.self, "failed"), errors: [error]))
            }
        }
        return failures
    }

    /// The status of every current sweep, oldest first.
    public func list() async throws -> [SweepStatus] {
        var statuses: [SweepStatus] = []
        for row in try await pool.query(SweepSQL.names) {
            statuses.append(try await status(try row.decode(String.self, "name")))
        }
        return statuses
    }

    /// The endpoints of running sweeps, so workers know which keys to look for.
    public func activeEndpoints() async throws -> [EndpointDescriptor] {
        try await pool.query(SweepSQL.activeEndpoints).map { row in
            EndpointDescriptor(
                endpoint: EndpointKey(
                    provider: try row.decode(Provider.self, "provider"), baseURL: try row.decode(String.self, "base_url"),
                    model: try row.decode(String.self, "model")),
                apiKeyEnvironment: try row.decode(String?.self, "api_key_env"))
        }
    }

    /// The id of the current sweep `name`, under the name's lock for the rest of the transaction.
    static func sweepID(_ name: String, on connection: PostgresConnection) async throws -> Int64 {
        // The name's lock, as a submit takes it, serialises steering and submitting; the sweep's row
        // is not locked here: a result batch locks its jobs and then adds to the sweep's spend, so a
        // command that held the row while it changed those jobs could deadlock with it.
        try await connection.query(LockSQL.named, ["sweep:" + name])
        guard let row = try await connection.query(SweepSQL.byName, [name]).first else {
            throw SweepStoreError.notFound(name)
        }
        return try row.decode(Int64.self, "id")
    }
}
