import Foundation
import Logging
import ServiceLifecycle
import Shared
import Synchronization

/// The worker process: leases jobs for the endpoints whose keys it holds,
/// keeps up to `concurrency` running, heartbeats them, and reports endings in
/// batches. On graceful shutdown it stops leasing, releases the leases that
/// wait for a run slot, lets running jobs finish within the grace period,
/// releases the rest, and reports everything.
public struct WorkerService: Service {
    let settings: WorkerSettings
    let coordinator: any WorkerCoordinator
    let keys: KeyRing
    let runner: any JobRunning
    let batches: BatchWorker?
    let logger: Logger
    let metrics: WorkerMetrics

    /// A worker; `runner` calls the models, `batches` does batch work beside
    /// the leases (none: this worker leaves batches to others), `coordinator`
    /// is reached for everything else; the outbox counts its endings in `metrics`.
    public init(
        settings: WorkerSettings, coordinator: any WorkerCoordinator, keys: KeyRing, runner: any JobRunning, batches: BatchWorker? = nil,
        logger: Logger, metrics: WorkerMetrics = .none
    ) {
        self.settings = settings
        self.coordinator = coordinator
        self.keys = keys
        self.runner = runner
        self.batches = batches
        var logger = logger
        // Every record of this worker says which worker wrote it.
        logger[metadataKey: "worker"] = .string(settings.workerID)
        self.logger = logger
        self.metrics = metrics
    }

    /// Runs until graceful shutdown (or cancellation) and the final reports are sent.
    public func run() async throws {
        let book = LeaseBook()
        let slots = RunSlots(limit: settings.concurrency)
        let outbox = Outbox(coordinator: coordinator, book: book, logger: logger, metrics: metrics)
        let heartbeater = Heartbeater(coordinator: coordinator, book: book, logger: logger)
        let reporting = Task { await outbox.run() }
        let beating = Task { await heartbeater.run() }
        let refusal = RefusalRecord()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await leaseLoop(book: book, outbox: outbox, slots: slots, refusal: refusal) }
                if let batches { group.addTask { await batches.run() } }
                // The lease loop ends the worker (shutdown, or a refused token): the batch loop ends with it.
                await group.next()
                group.cancelAll()
            }
        }
        await finish(book: book, outbox: outbox, slots: slots)
        await outbox.close()
        // Bounded: a coordinator that stays away must not keep the process alive forever.
        let deadline = Task {
            try? await Task.sleep(for: .seconds(15))
            reporting.cancel()
        }
        await reporting.value
        deadline.cancel()
        // Only now: leases whose endings waited for the coordinator stay alive meanwhile.
        beating.cancel()
        let unreported = await outbox.unreported
        for ending in unreported {
            // Its lease lapses and the job runs again; the operator sees which and why.
            logger.warning(
                "worker stopped before the coordinator took this job's ending; dropped",
                metadata: ["job": "\(ending.jobID)", "ending": "\(ending.kindName)"])
        }
        logger.info("worker stopped", metadata: ["unreported_endings": "\(unreported.count)"])
        if let refused = refusal.error { throw refused }
    }

    private func cancelWhenGracefulShutdown(_ body: @escaping @Sendable () async -> Void) async {
        let task = Task { await body() }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await task.value
            } onGracefulShutdown: {
                task.cancel()
            }
        } onCancel: {
            task.cancel()
        }
    }

    private func leaseLoop(book: LeaseBook, outbox: Outbox, slots: RunSlots, refusal: RefusalRecord) async {
        let ahead = settings.concurrency + settings.prefetch
        var endpoints: [EndpointKey] = []
        var endpointsReadAt: ContinuousClock.Instant?
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            await book.waitForRoom(ahead: ahead)
            do {
                if endpointsReadAt.map({ $0 + settings.endpointRefresh < .now }) ?? true {
                    endpoints = try await coordinator.endpoints().filter(keys.canServe).map(\.endpoint)
                    endpointsReadAt = .now
                }
                guard !endpoints.isEmpty else {
                    try await Task.sleep(for: .seconds(1))
                    endpointsReadAt = nil
                    continue
                }
                let free = await book.wanted(ahead: ahead, cap: LeaseRequest.maxJobsLimit)
                guard free > 0 else { continue }
                let request = LeaseRequest(
                    workerID: settings.workerID, endpoints: endpoints, maxJobs: free,
                    waitMilliseconds: Int(settings.leaseWait.seconds * 1000))
                let leases = try await withoutCancellation { try await coordinator.lease(request) }
                for lease in leases { await start(lease, book: book, outbox: outbox, slots: slots, stopping: Task.isCancelled) }
                backoff = .milliseconds(250)
            } catch is CancellationError {
                return
            } catch  where CoordinatorRefusal(error) == .unauthorized {
                // A wrong token does not get better by retrying: stop and say so.
                refusal.record(WorkerRefused(reason: "the coordinator refused the worker token (\(error))"))
                return
            } catch {
                logger.warning("coordinator unreachable, retrying", metadata: ["in": "\(backoff)", "error": "\(error)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
    }

    /// A lease request in flight is allowed to finish, so leases the
    /// coordinator already granted are seen (and released) rather than lost.
    private func withoutCancellation<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await body() }.value
    }

    private func start(_ lease: JobLease, book: LeaseBook, outbox: Outbox, slots: RunSlots, stopping: Bool) async {
        let ttl = Duration.seconds(lease.ttlSeconds.map(Double.init) ?? max(1, lease.expiresAt.timeIntervalSinceNow))
        await book.hold(lease, ttl: ttl)
        if stopping {
            await outbox.add(.release(lease.reference))
            await book.finished(lease.reference)
            return
        }
        let runner = self.runner
        let logger = self.logger
        let task = Task {
            let ending: JobEnding
            do {
                try await slots.acquire()
                ending = await runner.run(lease, ttl: ttl)
                await slots.release()
            } catch {
                ending = .release(lease.reference)
            }
            JobEndingLog(ending, of: lease).write(to: logger)
            await outbox.add(ending)
            await book.finished(lease.reference)
        }
        await book.attach(task, to: lease.reference)
    }

    /// Releases the leases still waiting for a slot, lets running jobs finish
    /// within the grace period, then stops the rest and waits until each
    /// stopped job has handed its release to the outbox, which is closed only
    /// after this returns.
    private func finish(book: LeaseBook, outbox: Outbox, slots: RunSlots) async {
        await slots.close()
        // A cancelled task's sleep throws at once: without the check this loop would spin and hold
        // a thread of the cooperative pool (two threads here) until the jobs end.
        let deadline = ContinuousClock.now + settings.gracePeriod
        while await book.running > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
        // Awaiting a task's end does not spin, even when this task is cancelled.
        for task in await book.cancelRunning() { await task.value }
    }
}

/// The coordinator will not work with this worker (a wrong token).
public struct WorkerRefused: Error, CustomStringConvertible {
    /// Why.
    public var reason: String
    /// The reason.
    public var description: String { reason }
}

/// The refusal that ended the lease loop, if one did.
final class RefusalRecord: Sendable {
    private let stored = Mutex<WorkerRefused?>(nil)

    var error: WorkerRefused? { stored.withLock { $0 } }

    func record(_ error: WorkerRefused) {
        stored.withLock { $0 = error }
    }
}
