import Foundation
import Logging
import Shared

/// Job endings waiting for the coordinator, sent in batches. An ending stays
/// here until the coordinator answers for it (`accepted`, or `stale` when the
/// lease is gone), so a coordinator outage loses no finished work. The
/// decisions (batching, splitting, settling) are `OutboxQueue`'s.
public actor Outbox {
    private let coordinator: any WorkerCoordinator
    private let book: LeaseBook
    private let logger: Logger
    private let metrics: WorkerMetrics
    private var queue = OutboxQueue() {
        didSet { metrics.waitingEndings(queue.count) }
    }
    private var wake: CheckedContinuation<Void, Never>?
    private var closed = false

    /// An outbox reporting through `coordinator` and settling leases in `book`, counting its endings in `metrics`.
    public init(coordinator: any WorkerCoordinator, book: LeaseBook, logger: Logger, metrics: WorkerMetrics = .none) {
        self.coordinator = coordinator
        self.book = book
        self.logger = logger
        self.metrics = metrics
    }

    /// Queues an ending.
    public func add(_ ending: JobEnding) {
        queue.add(ending)
        wake?.resume()
        wake = nil
    }

    /// Endings not yet answered.
    public var count: Int { queue.count }

    /// The endings not reported yet, oldest first.
    var unreported: [JobEnding] { queue.all }

    /// Sends one batch of what is pending; returns whether the coordinator answered.
    @discardableResult
    public func flushOnce() async -> Bool {
        let batch = queue.nextBatch()
        guard !batch.isEmpty else { return true }
        do {
            try await deliver(batch)
            return true
        } catch {
            logger.warning("could not report job endings, will retry", metadata: ["endings": "\(batch.count)", "error": "\(error)"])
            return false
        }
    }

    /// Sends `batch`; when the coordinator refuses it as invalid, on any of
    /// its routes, sends its halves, down to the one ending at fault, which is
    /// dropped and logged: its lease then lapses and the job runs again.
    private func deliver(_ batch: [JobEnding]) async throws {
        let batch = queue.stillPending(batch)
        guard !batch.isEmpty else { return }
        do {
            try await send(batch)
        } catch  where CoordinatorRefusal(error) == .invalid {
            guard batch.count > 1 else { return await drop(batch[0], because: error) }
            let (first, second) = RequestSplitting.halves(batch)
            try await deliver(first)
            try await deliver(second)
        }
    }

    private func send(_ batch: [JobEnding]) async throws {
        let routes = JobEnding.byRoute(batch)
        // Settle after each call: a later call failing must not resend what was answered.
        if !routes.results.isEmpty {
            await settle(try await coordinator.complete(routes.results), sent: routes.results.map(JobEnding.result))
        }
        if !routes.failures.isEmpty {
            await settle(try await coordinator.fail(routes.failures), sent: routes.failures.map(JobEnding.failure))
        }
        if !routes.deferrals.isEmpty {
            await settle(try await coordinator.deferToBatch(routes.deferrals), sent: routes.deferrals.map(JobEnding.deferral))
        }
        if !routes.releases.isEmpty {
            await settle(try await coordinator.release(routes.releases), sent: routes.releases.map(JobEnding.release))
        }
    }

    private func settle(_ answers: [ItemAnswer], sent: [JobEnding]) async {
        for (ending, status) in queue.settle(answers, sent: sent) {
            if status == .stale {
                logger.info("the lease was gone, the coordinator kept nothing from it", metadata: ["job": "\(ending.jobID)"])
            }
            await book.settled(ending.lease)
        }
    }

    private func drop(_ ending: JobEnding, because refusal: any Error) async {
        guard queue.drop(ending) else { return }
        logger.error(
            "the coordinator refused a job's report as invalid; dropped, the job will run again",
            metadata: ["job": "\(ending.jobID)", "error": "\(refusal)"])
        await book.settled(ending.lease)
    }

    /// Flushes whenever something is pending, backing off while the
    /// coordinator is unreachable, until `close()` and nothing is left.
    public func run() async {
        var delay = Duration.milliseconds(100)
        while !(closed && queue.isEmpty) {
            if queue.isEmpty {
                await withCheckedContinuation { wake = $0 }
                continue
            }
            // A short gather lets endings finishing together share a request.
            if queue.count < OutboxQueue.batchSize { try? await Task.sleep(for: .milliseconds(20)) }
            if await flushOnce() {
                delay = .milliseconds(100)
            } else if !queue.isEmpty {
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
            if Task.isCancelled { return }
        }
    }

    /// No more endings will come: `run` returns once the rest is answered.
    public func close() {
        closed = true
        wake?.resume()
        wake = nil
    }
}
