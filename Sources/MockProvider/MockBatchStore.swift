import Foundation
import Shared
import Synchronization

/// The mock's batches and OpenAI files, in memory, and the batch counters of
/// `/stats`. A batch's lines are answered when it ends (read lazily: any
/// route or `/stats` that looks settles what is due) by the live routes'
/// answer function, so a line gets exactly what its live request would.
final class MockBatchStore: Sendable {
    struct Counters: Sendable {
        var created: [MockWireFormat: Int] = [:]
        var linesReceived = 0
        var linesAnswered = 0
        var linesErrored = 0
        var duplicatePaidLines = 0
        var overQueueLimit = 0
    }

    private struct State {
        var batches: [String: MockBatch] = [:]
        /// Creation order, newest last.
        var order: [String] = []
        var files: [String: (name: String, bytes: [UInt8], created: Date, purpose: String)] = [:]
        /// `model␟custom_id` of lines that already errored once.
        var erroredOnce: Set<String> = []
        /// `model␟custom_id` → batches that answered it for real.
        var paid: [String: Int] = [:]
        var counters = Counters()
    }

    private let state = Mutex(State())
    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// A fresh id with `prefix`.
    static func newID(_ prefix: String) -> String {
        prefix + String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(24))
    }

    // MARK: Files (OpenAI)

    /// Stores a file and returns its id.
    func addFile(name: String, bytes: [UInt8], purpose: String) -> (id: String, created: Date) {
        let id = Self.newID("file-")
        let created = now()
        state.withLock { $0.files[id] = (name, bytes, created, purpose) }
        return (id, created)
    }

    /// A file's bytes.
    func file(_ id: String) -> [UInt8]? {
        state.withLock { $0.files[id]?.bytes }
    }

    // MARK: Batches

    /// Records a new batch; plans which lines error (by custom id, first time
    /// only). Past `queueLimit` (lines in the model's unfinished batches) the
    /// batch is refused: `nil`, or with `failOverQueue` (OpenAI's way) kept as
    /// a batch that failed at once.
    func create(_ batch: MockBatch, seed: Int, errorRate: Double, queueLimit: Int?, failOverQueue: Bool) -> MockBatch? {
        state.withLock { state in
            var batch = batch
            if let queueLimit {
                let queued = state.batches.values
                    .filter { $0.model == batch.model && $0.format == batch.format && $0.running(at: batch.created) }
                    .reduce(0) { $0 + $1.lines.count }
                if queued + batch.lines.count > queueLimit {
                    state.counters.overQueueLimit += 1
                    guard failOverQueue else { return nil }
                    batch.end = .failed
                    batch.endedAt = batch.created
                    batch.failure =
                        "Enqueued token limit reached for \(batch.model) in organization org-mock. Limit: \(queueLimit) enqueued requests. Please try again once some in_progress batches have been completed."
                }
            }
            for line in batch.lines where errorRate > 0 && batch.end == nil {
                let key = "\(batch.model)\u{1F}\(line.customID)"
                let u = MockRules.unit(seed: seed, model: batch.model, prompt: line.customID, sample: nil, purpose: "batch-line-error")
                if u < errorRate, !state.erroredOnce.contains(key) {
                    state.erroredOnce.insert(key)
                    batch.erroring.insert(line.customID)
                }
            }
            state.batches[batch.id] = batch
            state.order.append(batch.id)
            state.counters.created[batch.format, default: 0] += 1
            state.counters.linesReceived += batch.lines.count
            return batch
        }
    }

    /// The batch `id` of `format`, settled as of now.
    func batch(_ id: String, format: MockWireFormat, answer: (MockBatch, MockBatchLine) -> MockReply) -> MockBatch? {
        state.withLock { state in
            guard state.batches[id]?.format == format else { return nil }
            Self.settle(&state, id: id, at: now(), answer: answer)
            return state.batches[id]
        }
    }

    /// Batches of `format`, newest first, settled as of now.
    func list(format: MockWireFormat, answer: (MockBatch, MockBatchLine) -> MockReply) -> [MockBatch] {
        state.withLock { state in
            let at = now()
            return state.order.reversed().compactMap { id -> MockBatch? in
                guard state.batches[id]?.format == format else { return nil }
                Self.settle(&state, id: id, at: at, answer: answer)
                return state.batches[id]
            }
        }
    }

    /// Asks batch `id` to stop: lines not answered by now never will be.
    /// `nil` when there is no such batch; `false` when it had already ended.
    func cancel(_ id: String, format: MockWireFormat, answer: (MockBatch, MockBatchLine) -> MockReply) -> (MockBatch, Bool)? {
        state.withLock { state in
            guard state.batches[id]?.format == format else { return nil }
            let at = now()
            Self.settle(&state, id: id, at: at, answer: answer)
            guard var batch = state.batches[id] else { return nil }
            guard batch.end == nil, batch.cancelRequested == nil else { return (batch, batch.end == nil) }
            batch.cancelRequested = at
            state.batches[id] = batch
            return (batch, true)
        }
    }

    /// Settles every batch that is due (so `/stats` counts lines whether or not anyone polled).
    func settleAll(answer: (MockBatch, MockBatchLine) -> MockReply) {
        state.withLock { state in
            let at = now()
            for id in state.order { Self.settle(&state, id: id, at: at, answer: answer) }
        }
    }

    /// The counters.
    func counters() -> Counters {
        state.withLock { $0.counters }
    }

    /// Zeroes the counters; which lines were paid for and errored is kept, so
    /// a duplicate after a reset still counts.
    func resetCounters() {
        state.withLock { $0.counters = Counters() }
    }

    /// Ends batch `id` if its time has come: answers its answerable lines, writes OpenAI's files.
    private static func settle(_ state: inout State, id: String, at now: Date, answer: (MockBatch, MockBatchLine) -> MockReply) {
        guard var batch = state.batches[id], batch.end == nil, now >= batch.endTime else { return }
        let cancelled = batch.cancelRequested.map { $0 < batch.plannedEnd } ?? false
        let end: MockBatchEnd = cancelled ? .cancelled : batch.expiry == .none ? .completed : .expired
        let cutoff = batch.endTime
        batch.results = batch.lines.enumerated().map { index, line in
            guard index < batch.answerable, batch.answerTime(index) <= cutoff else { return (line.customID, .unanswered(end)) }
            if batch.erroring.contains(line.customID) {
                return (line.customID, .reply(batch.format.writer.failure(.internalError), injected: true))
            }
            return (line.customID, .reply(answer(batch, line), injected: false))
        }
        for (customID, result) in batch.results {
            guard case .reply(_, let injected) = result else { continue }
            state.counters.linesAnswered += 1
            if injected {
                state.counters.linesErrored += 1
                continue
            }
            let key = "\(batch.model)\u{1F}\(customID)"
            state.paid[key, default: 0] += 1
            if state.paid[key] == 2 { state.counters.duplicatePaidLines += 1 }
        }
        batch.end = end
        batch.endedAt = cutoff
        if batch.format == .openai {
            let (output, errors) = OpenAIBatchFiles.render(batch)
            let stamp = now
            if !output.isEmpty {
                let fileID = newID("file-")
                state.files[fileID] = ("batch_\(batch.id)_output.jsonl", output, stamp, "batch_output")
                batch.outputFileID = fileID
            }
            if !errors.isEmpty {
                let fileID = newID("file-")
                state.files[fileID] = ("batch_\(batch.id)_error.jsonl", errors, stamp, "batch_output")
                batch.errorFileID = fileID
            }
        }
        state.batches[id] = batch
    }
}
