import Foundation
import Logging
import Shared

/// Batches at the providers (docs/architecture.md, "Batch mode"): which
/// worker does what next with which batch, and what their reports change.
/// A batch is only ever a row here; any worker with the endpoint's key may
/// act on it under a lease of its own, and every report is fenced by it.
public struct BatchStore: Sendable {
    let pool: PostgresPool
    /// How long a batch task's lease lasts.
    let leaseSeconds: Int
    let logger: Logger

    /// How long a batch task's lease lasts unless told: the worker renews it
    /// every third of that while it works (a large upload or download takes
    /// minutes), so a worker that dies holds its batch this long at most.
    public static let defaultLeaseSeconds = 30

    /// A store on `pool` whose batch tasks are leased for `leaseSeconds`, logging to `logger`.
    public init(pool: PostgresPool, leaseSeconds: Int = defaultLeaseSeconds, logger: Logger = Logger(label: "siuo.batches")) {
        self.pool = pool
        self.leaseSeconds = leaseSeconds
        self.logger = logger
    }

    /// The next piece of batch work on the request's endpoints: a due batch
    /// (submit, poll, cancel or collect), else a new batch formed from lines
    /// that have waited long enough; `nil` when there is none.
    public func lease(_ request: BatchLeaseRequest) async throws -> BatchTask? {
        guard !request.endpoints.isEmpty else { return nil }
        let endpoints = Self.endpointArrays(request.endpoints)
        // A batch closed on the spot (an unsubmitted one past its deadline) yields no task: look again, a few times.
        for _ in 0..<4 {
            guard let row = try await pool.query(BatchSQL.leaseDue, endpoints + [request.workerID, leaseSeconds]).first else { break }
            if let task = try await task(for: try BatchRow(row)) { return task }
        }
        return try await form(request, endpoints: endpoints)
    }

    /// Extends a submitting worker's lease right before the request that
    /// creates (and pays for) the batch; `.stale` means: do not send it.
    public func renew(batchID: Int64, leaseToken: UUID) async throws -> ItemStatus {
        try await pool.query(BatchSQL.renew, [batchID, leaseToken, leaseSeconds]).isEmpty ? .stale : .accepted
    }

    /// Applies a worker's report on batch `batchID`, if its lease is current.
    public func report(batchID: Int64, _ report: BatchReport) async throws -> ItemStatus {
        try Self.validate(report, batchID: batchID)
        return try await pool.withTransaction { connection in
            guard let row = try await connection.query(BatchSQL.fence, [batchID, report.leaseToken]).first else { return .stale }
            let batch = try BatchRow(row)
            // A report about a step the batch is past (another worker's lease
            // expired mid-task, say) is stale like any other.
            return try await apply(report.outcome, to: batch, on: connection)
        }
    }

    /// The batches of sweep `sweepID`, for its status.
    func summaries(sweepID: Int64) async throws -> [BatchSummary] {
        try await pool.query(BatchSQL.ofSweep, [sweepID]).map { row in
            BatchSummary(
                id: try row.decode(Int64.self, "id"), model: try row.decode(String.self, "model"),
                providerBatchID: try row.decode(String?.self, "provider_batch_id"), state: try row.decode(BatchState.self, "state"),
                providerState: try row.decode(String?.self, "provider_state"), linesDone: try row.decode(Int.self, "lines_done"),
                linesFailed: try row.decode(Int.self, "lines_failed"), linesTotal: try row.decode(Int.self, "lines_total"),
                ageSeconds: try row.decode(Double.self, "age"))
        }
    }

    // MARK: - Tasks

    /// What the holder of `batch`'s new lease should do; `nil` when the
    /// coordinator settled it itself (never submitted, and past its deadline).
    private func task(for batch: BatchRow) async throws -> BatchTask? {
        switch batch.state {
        case .submitting:
            if batch.pastDeadline, !batch.mayBeAtProvider {
                try await pool.withTransaction { connection in
                    try await closeUnanswered(batch, on: connection) { _ in "past batch_deadline before it was submitted" }
                }
                return nil
            }
            let lines = try await pool.query(BatchLineSQL.ofBatch, [batch.id]).map(Self.taskLine)
            let known = batch.mayBeAtProvider ? try await knownIDs(modelID: batch.modelID) : []
            return makeTask(
                batch, action: .submit, searchFirst: batch.mayBeAtProvider, abandonIfMissing: batch.pastDeadline, known: known, lines: lines)
        case .running:
            return makeTask(batch, action: batch.pastDeadline && !batch.cancelRequested ? .cancel : .poll)
        case .ended:
            return makeTask(batch, action: .collect)
        case .collected:
            // `collected` batches are never due.
            throw PostgresError(kind: .decoding, message: "batch \(batch.id) is in state \(batch.state), which no task serves")
        }
    }

    private func makeTask(
        _ batch: BatchRow, action: BatchAction, searchFirst: Bool = false, abandonIfMissing: Bool = false, known: [String] = [],
        lines: [BatchTaskLine] = []
    ) -> BatchTask? {
        guard let token = batch.leaseToken else { return nil }
        return BatchTask(
            batchID: batch.id, leaseToken: token, action: action, model: batch.model, tag: batch.tag, providerBatchID: batch.providerBatchID,
            searchFirst: searchFirst, abandonIfMissing: abandonIfMissing, createdAt: batch.createdAt, knownProviderBatchIDs: known,
            maxBytes: batch.maxBytes, lines: lines, leaseSeconds: leaseSeconds)
    }

    /// Forms a batch from the pending lines of the model that should send
    /// now, in one transaction: up to `maxRequests` lines in order, within
    /// the size cap by their estimates (at least one), leased to the asker to submit.
    private func form(_ request: BatchLeaseRequest, endpoints: [any PostgresBindable]) async throws -> BatchTask? {
        let formed: (BatchRow, [BatchTaskLine])? = try await pool.withTransaction { connection in
            guard let candidate = try await connection.query(BatchSQL.modelToForm, endpoints).first else { return nil }
            let modelID = try candidate.decode(Int64.self, "id")
            let model = try JSONDecoder().decode(ModelSpec.self, from: Data(try candidate.decode(String.self, "settings").utf8))
            guard let settings = model.batch else { return nil }
            var picked: [Int64] = []
            var bytes = 0
            for row in try await connection.query(BatchLineSQL.pickPending, [modelID, settings.maxRequests]) {
                let size = try row.decode(Int.self, "estimated_bytes")
                if !picked.isEmpty, bytes + size > settings.maxBytes { break }
                picked.append(try row.decode(Int64.self, "id"))
                bytes += size
            }
            guard !picked.isEmpty else { return nil }
            let tag = "siuo-" + UUID().uuidString.lowercased()
            guard
                let row = try await connection.query(
                    BatchSQL.insert, [modelID, picked.count, tag, settings.deadlineSeconds, request.workerID, leaseSeconds]
                ).first
            else { return nil }
            let batch = try BatchRow(row)
            try await connection.query(BatchLineSQL.assign, [batch.id, PostgresTextArray(picked.map(String.init))])
            let lines = try await connection.query(BatchLineSQL.ofBatch, [batch.id]).map(Self.taskLine)
            return (batch, lines)
        }
        guard let (batch, lines) = formed else { return nil }
        return makeTask(batch, action: .submit, lines: lines)
    }

    private func knownIDs(modelID: Int64) async throws -> [String] {
        try await pool.query(BatchSQL.knownProviderIDs, [modelID]).map { try $0.decode(String.self, "provider_batch_id") }
    }

    private static func taskLine(_ row: PostgresRow) throws -> BatchTaskLine {
        BatchTaskLine(
            customID: try row.decode(String.self, "custom_id"),
            call: DeferredCall(
                firstSample: try row.decode(Int.self, "first_sample"), count: try row.decode(Int.self, "sample_count"),
                prompt: try row.decode(String.self, "prompt"), temperature: try row.decode(Double?.self, "temperature"),
                maxTokens: try row.decode(Int?.self, "max_tokens")),
            imageSHA256: try row.decode(String.self, "image_sha256"), imageMediaType: try row.decode(String.self, "media_type"))
    }

    static func endpointArrays(_ endpoints: [EndpointKey]) -> [any PostgresBindable] {
        [
            PostgresTextArray(endpoints.map(\.provider.rawValue)), PostgresTextArray(endpoints.map(\.baseURL)),
            PostgresTextArray(endpoints.map(\.model)),
        ]
    }

    // MARK: - Reports

    private func apply(_ outcome: BatchOutcome, to batch: BatchRow, on connection: PostgresConnection) async throws -> ItemStatus {
        switch outcome {
        case .submitted(let providerID, let included):
            guard batch.state == .submitting else { return .stale }
            try await connection.query(BatchSQL.submitted, [batch.id, providerID, included.count])
            try await connection.query(BatchLineSQL.returnUnsent, [batch.id, PostgresTextArray(included)])
        case .missing:
            guard batch.state == .submitting else { return .stale }
            try await closeUnanswered(batch, on: connection) { _ in "past batch_deadline, and the provider holds no earlier submission" }
        case .refused(let error):
            guard batch.state == .submitting else { return .stale }
            try await closeUnanswered(batch, on: connection) { _ in "the provider refused the batch: \(error)" }
        case .progress(let ended, let providerState, let done, let failed, let total, let cancelRequested):
            guard batch.state == .running || batch.state == .ended else { return .stale }
            try await connection.query(
                BatchSQL.progress,
                [batch.id, providerState, done, failed, total, ended, cancelRequested, ended ? 0 : batch.pollInterval])
        case .lines(let lines, let final):
            guard batch.state == .ended else { return .stale }
            let answered = lines.compactMap { line in line.status.flatMap { status in line.body.map { (line.customID, status, $0) } } }
            if !answered.isEmpty {
                try await connection.query(
                    BatchLineSQL.answer,
                    [
                        batch.id, PostgresTextArray(answered.map(\.0)), PostgresTextArray(answered.map { String($0.1) }),
                        PostgresTextArray(answered.map(\.2)),
                    ])
            }
            let unanswered = lines.filter { $0.status == nil }.map(\.customID)
            if !unanswered.isEmpty {
                try await connection.query(BatchLineSQL.markUnanswered, [batch.id, PostgresTextArray(unanswered)])
            }
            if final {
                // An ended batch's lines were all answered, errored or said unanswered; one its results did
                // not hold (a line the worker could not read, or the provider left out) runs live, paid again:
                // said on the batch and in the log, never silently.
                let missing = try await closeUnanswered(batch, on: connection) { missing in
                    missing == 0 ? nil : "\(missing) of the batch's lines were missing from its results or unreadable; their jobs run live"
                }
                if missing > 0 {
                    logger.warning("a collected batch lacked results for some lines", metadata: ["batch": "\(batch.id)", "lines": "\(missing)"])
                }
            } else {
                try await connection.query(BatchSQL.extendCollect, [batch.id, leaseSeconds])
            }
        case .retryLater(let error, let milliseconds):
            let floor = batch.state == .submitting ? 5 : batch.pollInterval
            let delay = max(floor, milliseconds.map { JobStore.delay(milliseconds: $0) } ?? 0)
            try await connection.query(BatchSQL.retryLater, [batch.id, delay, String(error.prefix(2000))])
        }
        return .accepted
    }

    /// Closes `batch`: lines it holds that no reply reached are unanswered,
    /// and its jobs go back to the queue (those with such a line, live).
    /// Closes `batch` with `reason` (given how many of its lines were still out, which become
    /// unanswered) as its last error; its jobs return. Answers how many lines were still out.
    @discardableResult
    private func closeUnanswered(
        _ batch: BatchRow, on connection: PostgresConnection, reason: (_ unanswered: Int) -> String?
    ) async throws -> Int {
        let unanswered = try await connection.query(BatchLineSQL.closeUnanswered, [batch.id]).affectedRows
        try await connection.query(JobSQL.releaseBatched, [batch.id, batch.failedAtProvider])
        try await connection.query(BatchSQL.close, [batch.id, reason(unanswered)])
        return unanswered
    }

    /// A report is checked whole before anything is written.
    static func validate(_ report: BatchReport, batchID: Int64) throws {
        func fail(_ reason: String) -> BatchReportError { BatchReportError(batchID: batchID, reason: reason) }
        switch report.outcome {
        case .submitted(let providerID, let included):
            guard !providerID.isEmpty, providerID.utf8.count <= 512, !providerID.contains("\u{0}") else { throw fail("a bad provider batch id") }
            guard !included.isEmpty else { throw fail("a submitted batch holds at least one line") }
            guard included.allSatisfy({ BatchReply.parse(customID: $0) != nil }) else { throw fail("included lists an id that is not a custom_id") }
        case .lines(let lines, _):
            for line in lines {
                guard BatchReply.parse(customID: line.customID) != nil else { throw fail("\(line.customID.prefix(80)) is not a custom_id") }
                if let status = line.status, !(100...599).contains(status) { throw fail("line \(line.customID): status \(status)") }
                if (line.status == nil) != (line.body == nil) { throw fail("line \(line.customID): a reply needs both status and body") }
                if line.body?.contains("\u{0}") == true { throw fail("line \(line.customID): the body holds NUL") }
            }
        case .progress(_, let state, let done, let failed, let total, _):
            // The counts go into `integer` columns: a larger one is bad input, not a database error.
            let counts = 0...Int(Int32.max)
            guard counts.contains(done), counts.contains(failed), counts.contains(total), state.utf8.count <= 200, !state.contains("\u{0}") else {
                throw fail("bad progress counts")
            }
        case .refused(let error), .retryLater(let error, _):
            guard !error.contains("\u{0}") else { throw fail("the error holds NUL") }
        case .missing:
            break
        }
    }
}

/// A batch report that cannot be right, whatever the lease (400).
public struct BatchReportError: Error, CustomStringConvertible {
    /// The batch it was about.
    public var batchID: Int64
    /// What is wrong.
    public var reason: String

    /// "batch 3: reason".
    public var description: String { "batch \(batchID): \(reason)" }
}
