import Foundation
import Shared

extension JobStore {
    /// Records batch-lane leases that wrote their requests as batch lines
    /// (docs/architecture.md, "Batch mode"): the samples they did get are
    /// stored, the lines wait for a batch, and each job waits (`batched`)
    /// until the batch holding its lines is collected. One transaction for
    /// the list, each item fenced; every item is checked, against its job
    /// too, before anything is written, so an impossible item refuses the
    /// whole list and writes nothing.
    public func deferToBatch(_ deferrals: [JobDeferral]) async throws -> [ItemStatus] {
        guard !deferrals.isEmpty else { return [] }
        for deferral in deferrals { try Self.validate(deferral) }
        return try await pool.withTransaction { connection in
            let fenced = try await FencedJob.lock(deferrals.map(\.lease), on: connection)
            let (current, statuses) = try FencedJob.match(deferrals, lease: \.lease, in: fenced, check: Self.validate)
            for (deferral, job) in current {
                try await FencedJob.storeSamples(deferral.samples.map { (job.id, $0) }, on: connection)
                try await job.addUsage(deferral.usage, on: connection)
                try await connection.query(BatchLineSQL.consumeAnswered, [PostgresTextArray([String(job.id)])])
                let calls = deferral.calls
                try await connection.query(
                    BatchLineSQL.insert,
                    [
                        job.id, PostgresTextArray(calls.map { BatchReply.customID(jobID: job.id, firstSample: $0.firstSample) }),
                        PostgresTextArray(calls.map { String($0.firstSample) }), PostgresTextArray(calls.map { String($0.count) }),
                        PostgresTextArray(calls.map(\.prompt)), PostgresNullableTextArray(calls.map { $0.temperature.map { "\($0)" } }),
                        PostgresNullableTextArray(calls.map { $0.maxTokens.map(String.init) }),
                    ])
                try await connection.query(JobSQL.waitForBatch, [job.id])
            }
            // A resubmit may have turned the model's batch off while these leases ran: no batch would
            // form from their lines, so they go live instead of waiting.
            if !current.isEmpty {
                try await Self.leaveBatchLane(JobSQL.jobsLeaveBatchLane, PostgresTextArray(current.map { String($0.1.id) }), on: connection)
            }
            return statuses
        }
    }

    /// Runs one of `JobSQL`'s leaving-the-batch-lane statements (`sweepLeavesBatchLane`,
    /// `jobsLeaveBatchLane`) with `binding`: the jobs it sends back to the live queue have their
    /// pending lines dropped, and lease waiters wake at commit.
    static func leaveBatchLane(_ statement: String, _ binding: any PostgresBindable, on connection: PostgresConnection) async throws {
        let moved = try await connection.query(statement, [binding]).map { try $0.decode(Int64.self, "id") }
        guard !moved.isEmpty else { return }
        try await connection.query(BatchLineSQL.dropPendingOf, [PostgresTextArray(moved.map(String.init))])
        try await connection.query(JobSQL.notify)
    }

    /// The rules a deferral must keep for its job: a batch-lane job, requests
    /// only for samples the job has, and samples received (a generate job's
    /// only) in range, each once, as a result's must be.
    static func validate(_ deferral: JobDeferral, for job: FencedJob) throws {
        guard job.lane == "batch" else {
            throw InvalidResultError(jobID: job.id, reason: "only a batch-lane job can wait for a batch")
        }
        if job.kind.isJudge, !deferral.samples.isEmpty {
            throw InvalidResultError(jobID: job.id, reason: "a judge job's deferral holds no samples")
        }
        for sample in deferral.samples where !(0..<job.samples).contains(sample.sampleIndex) {
            throw InvalidResultError(jobID: job.id, reason: "sample_index \(sample.sampleIndex) is outside 0..<\(job.samples)")
        }
        if Set(deferral.samples.map(\.sampleIndex)).count != deferral.samples.count {
            throw InvalidResultError(jobID: job.id, reason: "a sample_index appears twice")
        }
        let wanted = job.kind == .generate ? job.samples : 1
        // `validate(_:)` has bounded both, so the sum cannot overflow.
        for call in deferral.calls where call.firstSample + call.count > wanted {
            throw InvalidResultError(jobID: job.id, reason: "a deferred request asks for samples past the job's \(wanted)")
        }
    }

    static func validate(_ deferral: JobDeferral) throws {
        let jobID = deferral.lease.jobID
        try validate(deferral.usage, jobID: jobID)
        guard !deferral.calls.isEmpty else { throw InvalidResultError(jobID: jobID, reason: "a deferral holds at least one request") }
        guard Set(deferral.calls.map(\.firstSample)).count == deferral.calls.count else {
            throw InvalidResultError(jobID: jobID, reason: "two deferred requests start at the same sample")
        }
        for call in deferral.calls {
            guard (0..<SweepDefinition.maxSamples).contains(call.firstSample), (1...DeferredCall.maxSamples).contains(call.count) else {
                throw InvalidResultError(jobID: jobID, reason: "a deferred request's samples are out of range")
            }
            guard !call.prompt.isEmpty, !call.prompt.contains("\u{0}") else {
                throw InvalidResultError(jobID: jobID, reason: "a deferred request's prompt is empty or holds NUL")
            }
            if let temperature = call.temperature, !temperature.isFinite {
                throw InvalidResultError(jobID: jobID, reason: "a deferred request's temperature is not a number")
            }
            if let maxTokens = call.maxTokens, !(1...Int(Int32.max)).contains(maxTokens) {
                throw InvalidResultError(jobID: jobID, reason: "a deferred request's max_tokens must be between 1 and \(Int32.max)")
            }
        }
        for sample in deferral.samples where sample.text.contains("\u{0}") {
            throw InvalidResultError(jobID: jobID, reason: "sample \(sample.sampleIndex) holds NUL")
        }
    }
}
