import Foundation
import Logging
import Shared
import SiuoTestSupport
import Synchronization
import Testing

@testable import Worker

/// A batch task whose lease the coordinator says is gone stops and reports
/// nothing; the batch loop logs a failed call by what it means.
@Suite struct BatchLeaseTests {
    /// A batch API whose results take until the task is cancelled.
    struct SlowResults: BatchAPIStub {
        func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult] {
            try await Task.sleep(for: .seconds(3600))
            return []
        }
    }

    static func worker(_ coordinator: FakeCoordinator, log: RecordedLog) -> BatchWorker {
        BatchWorker(
            workerID: "w", coordinator: coordinator, keys: KeyRing(environment: [:]), images: ImageCache(fetch: { _ in [] }),
            api: { _ in SlowResults() }, logger: log.logger)
    }

    @Test func aLostLeaseStopsTheTaskAndNothingIsReported() async throws {
        let coordinator = FakeCoordinator()
        coordinator.change { state in
            state.batchTasks = [
                BatchTask(
                    batchID: 4, leaseToken: UUID(), action: .collect, model: BatchCollectTests.model, tag: "t", providerBatchID: "b",
                    createdAt: Date(), maxBytes: 1 << 20, leaseSeconds: 3)
            ]
            state.batchRenewal = false
        }
        let log = RecordedLog()
        // The results never come (`SlowResults`): the run ends only because the lease was lost.
        #expect(try await Self.worker(coordinator, log: log).runOnce(endpoints: [FakeCoordinator.endpoint]))
        #expect(coordinator.read(\.batchReports).isEmpty)
        #expect(coordinator.read { $0.calls["batch_renew"] } == 1)
        #expect(log.all.contains { $0.message.contains("batch lease lost mid-task") })
    }

    /// A batch API whose create, once begun, holds until the test opens `gate` and is not cut short
    /// by cancellation, as an upload the provider has already taken is not.
    final class SlowSubmit: BatchAPIStub, Sendable {
        /// Whether the submit got past `beforeCreate` and is creating the batch.
        let creating = Mutex(false)
        /// What the create holds on.
        let gate = Gate()

        func submit(
            _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int, beforeCreate: @Sendable () async throws -> Void
        ) async throws -> BatchSubmission {
            try await beforeCreate()
            creating.withLock { $0 = true }
            await gate.wait()
            return BatchSubmission(providerBatchID: "pb-1", included: lines.map(\.customID))
        }
    }

    /// Holds its waiters until opened, cancelled or not; open for good once opened.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        /// Returns once the gate is open.
        func wait() async {
            await withCheckedContinuation { continuation in
                let resume = state.withLock { state in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resume { continuation.resume() }
            }
        }

        /// Opens the gate and lets every waiter through.
        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// The image every submit task's lines show.
    static let image: [UInt8] = Array("an image".utf8)

    /// A submit task of `count` lines, `j1-s0`, `j2-s0`, …
    static func submitTask(_ batchID: Int64, lines count: Int, searchFirst: Bool = false) -> BatchTask {
        let lines = (0..<count).map { index in
            BatchTaskLine(
                customID: "j\(index + 1)-s0", call: DeferredCall(firstSample: 0, count: 1, prompt: "q", temperature: nil, maxTokens: nil),
                imageSHA256: SHA256Hex.digest(Data(image)), imageMediaType: "image/png")
        }
        return BatchTask(
            batchID: batchID, leaseToken: UUID(), action: .submit, model: BatchCollectTests.model, tag: "t", providerBatchID: nil,
            searchFirst: searchFirst, createdAt: Date(), maxBytes: 1 << 20, lines: lines, leaseSeconds: 60)
    }

    /// A batch worker that submits through `api`.
    static func submitter(_ coordinator: FakeCoordinator, api: any BatchAPI) -> BatchWorker {
        BatchWorker(
            workerID: "w", coordinator: coordinator, keys: KeyRing(environment: [:]), images: ImageCache(fetch: { _ in image }),
            api: { _ in api }, logger: RecordedLog().logger)
    }

    @Test func aSubmittedBatchIsReportedThroughAWorkerStoppingAndACoordinatorAwayForAWhile() async throws {
        let coordinator = FakeCoordinator()
        coordinator.change { state in
            state.batchTasks = [Self.submitTask(5, lines: 1)]
            // More failed tries than the ordinary report's patience allows.
            state.batchReportFailures = 8
        }
        let api = SlowSubmit()
        var worker = Self.submitter(coordinator, api: api)
        worker.reportRetryDelay = .milliseconds(10)
        let running = Task { [worker] in try await worker.runOnce(endpoints: [FakeCoordinator.endpoint]) }
        defer { api.gate.open() }
        // The worker stops while the provider is creating the batch, then the create ends.
        try await waitUntil("the provider is creating the batch") { api.creating.withLock { $0 } }
        running.cancel()
        api.gate.open()
        _ = try? await running.value
        let reports = coordinator.read(\.batchReports)
        #expect(reports.map(\.outcome) == [.submitted(providerBatchID: "pb-1", included: ["j1-s0"])])
    }

    /// A provider that holds a batch of the first two lines (the size cap left the third out) and,
    /// like Anthropic, finds a batch only by its number of requests.
    struct CappedEarlierBatch: BatchAPIStub {
        func submit(
            _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int, beforeCreate: @Sendable () async throws -> Void
        ) async throws -> BatchSubmission {
            BatchSubmission(providerBatchID: "pb-second", included: try included(lines, model: model, tag: tag, maxBytes: maxBytes))
        }
        func included(_ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int) throws -> [String] {
            Array(lines.prefix(2).map(\.customID))
        }
        func find(tag: String, lineCount: Int, createdAfter: Date, known: Set<String>, model: ModelSpec) async throws -> String? {
            lineCount == 2 ? "pb-first" : nil
        }
    }

    @Test func theSearchForAnEarlierSubmissionLooksForTheLinesThatFitAndReportsThose() async throws {
        let coordinator = FakeCoordinator()
        coordinator.change { $0.batchTasks = [Self.submitTask(6, lines: 3, searchFirst: true)] }
        let worker = Self.submitter(coordinator, api: CappedEarlierBatch())
        #expect(try await worker.runOnce(endpoints: [FakeCoordinator.endpoint]))
        // Found, not sent again (a second batch would be paid for twice), and only its two lines are its.
        #expect(coordinator.read(\.batchReports).map(\.outcome) == [.submitted(providerBatchID: "pb-first", included: ["j1-s0", "j2-s0"])])
    }

    @Test func aRefusedTokenIsLoggedAsSuchNotAsUnreachable() async throws {
        let coordinator = FakeCoordinator()
        coordinator.change { $0.leaseStatus = 401 }
        let log = RecordedLog()
        let loop = Task { await Self.worker(coordinator, log: log).run(idle: .milliseconds(10)) }
        defer { loop.cancel() }
        try await waitUntil("the batch loop logs an error", every: .milliseconds(10)) { log.all.contains { $0.level == .error } }
        loop.cancel()
        await loop.value
        #expect(log.all.contains { $0.level == .error && $0.message.contains("refuses this worker's token") })
        #expect(!log.all.contains { $0.message.contains("unreachable") })
    }
}
