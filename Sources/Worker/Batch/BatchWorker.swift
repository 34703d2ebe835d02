import Foundation
import Logging
import Shared

/// The worker's batch loop (docs/architecture.md, "Batch mode"): takes one
/// task at a time on a batch of an endpoint whose key it holds (submit,
/// poll, cancel, collect), does it against the provider's batch API, and
/// reports. It keeps nothing between tasks: the batch is a row in the
/// coordinator, so any worker carries on where another stopped.
public struct BatchWorker: Sendable {
    let workerID: String
    let coordinator: any WorkerCoordinator
    let keys: KeyRing
    let images: ImageCache
    let api: @Sendable (Provider) -> any BatchAPI
    let logger: Logger
    let metrics: WorkerMetrics
    /// Lines per report when collecting (a report is one transaction).
    var linesPerReport = BatchLineReports.maxLines
    /// The first pause before a report is sent again to a coordinator that is away; it doubles up to 10 s.
    var reportRetryDelay = Duration.milliseconds(250)
    /// The largest results file or response a batch client reads (2 GiB,
    /// Gemini's own cap on a batch's files, well above 50,000 answers).
    public static let maxResultBytes = 2 << 30

    /// A batch loop reaching providers through `api` and the coordinator through `coordinator`, counting tasks in `metrics`.
    public init(
        workerID: String, coordinator: any WorkerCoordinator, keys: KeyRing, images: ImageCache,
        api: @escaping @Sendable (Provider) -> any BatchAPI, logger: Logger, metrics: WorkerMetrics = .none
    ) {
        self.workerID = workerID
        self.coordinator = coordinator
        self.keys = keys
        self.images = images
        self.api = api
        self.logger = logger
        self.metrics = metrics
    }

    /// Asks for tasks and does them until cancelled; idles `idle` when there is none.
    public func run(idle: Duration = .seconds(1)) async {
        var endpoints: [EndpointKey] = []
        var endpointsReadAt: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                if endpointsReadAt.map({ $0 + .seconds(5) < .now }) ?? true {
                    endpoints = try await coordinator.endpoints().filter(keys.canServe).map(\.endpoint)
                    endpointsReadAt = .now
                }
                if try await runOnce(endpoints: endpoints) { continue }
            } catch is CancellationError {
                return
            } catch {
                log(error)
            }
            try? await Task.sleep(for: idle)
        }
    }

    /// A failed coordinator call of the batch loop, logged by what it means (`CoordinatorRefusal`).
    private func log(_ error: any Error) {
        switch CoordinatorRefusal(error) {
        case .unauthorized:
            logger.error("batch work: the coordinator refuses this worker's token, retrying", metadata: ["error": "\(error)"])
        case .invalid:
            logger.error("batch work: the coordinator refused a request as invalid, retrying", metadata: ["error": "\(error)"])
        case .transient:
            logger.warning("batch work: the coordinator is unreachable or busy, retrying", metadata: ["error": "\(error)"])
        }
    }

    /// Takes and does one task; `false` when there was none.
    public func runOnce(endpoints: [EndpointKey]) async throws -> Bool {
        guard !endpoints.isEmpty,
            let task = try await coordinator.batchTask(BatchLeaseRequest(workerID: workerID, endpoints: endpoints))
        else { return false }
        let working = Task { await perform(task) }
        // Keep the lease while the task takes its time (a large upload or
        // download); if this process dies, the lease lapses soon after. When
        // the coordinator says the lease is gone, another worker has the
        // batch: the task stops and reports nothing.
        let renewing = Task { await renew(task, stopping: working) }
        let outcome = await withTaskCancellationHandler {
            await working.value
        } onCancel: {
            working.cancel()
        }
        renewing.cancel()
        let lost = await renewing.value
        metrics.batchTaskDone(task.action)
        guard !lost, let outcome else { return true }
        do {
            if case .submitted(let providerBatchID, _) = outcome {
                // A provider batch now exists and is paid for: its id must reach the coordinator even
                // while this worker stops (an unstructured task is not cancelled with this one), and is
                // worth the lease's whole life of retries. If it still cannot be told, it is logged.
                let report = Task { try await self.report(task, outcome, patience: .seconds(Double(task.leaseSeconds))) }
                do {
                    try await report.value
                } catch let error where !(error is LostBatchLease) {
                    logger.error(
                        "could not report a submitted batch; the next worker to take it searches the provider for it",
                        metadata: ["batch": "\(task.batchID)", "provider_batch": "\(providerBatchID)", "error": "\(error)"])
                    throw error
                }
            } else {
                try await report(task, outcome)
            }
        } catch is LostBatchLease {}
        return true
    }

    /// Renews `task`'s lease every third of its life until cancelled; returns
    /// whether the coordinator said the lease was gone (then `working` is cancelled).
    private func renew(_ task: BatchTask, stopping working: Task<BatchOutcome?, Never>) async -> Bool {
        let every = Duration.seconds(max(1, Double(task.leaseSeconds) / 3))
        while !Task.isCancelled {
            try? await Task.sleep(for: every)
            guard !Task.isCancelled else { return false }
            do {
                if try await coordinator.renewBatch(task.batchID, leaseToken: task.leaseToken) { continue }
                logger.info("batch lease lost mid-task; another worker has the batch, stopping", metadata: ["batch": "\(task.batchID)"])
                working.cancel()
                return true
            } catch is CancellationError {
                return false
            } catch {
                logger.warning("could not renew a batch lease, will retry", metadata: ["batch": "\(task.batchID)", "error": "\(error)"])
            }
        }
        return false
    }

    /// What came of `task`; `nil` when there is nothing to report (its lease was lost mid-way).
    func perform(_ task: BatchTask) async -> BatchOutcome? {
        let provider = api(task.model.provider)
        do {
            switch task.action {
            case .submit:
                return try await submit(task, to: provider)
            case .poll, .cancel:
                guard let id = task.providerBatchID else { return .retryLater(error: "no provider batch id", retryAfterMilliseconds: nil) }
                if task.action == .cancel { try await provider.cancel(id, model: task.model) }
                let progress = try await provider.progress(of: id, model: task.model)
                return .progress(
                    ended: progress.ended, providerState: progress.providerState, done: progress.done, failed: progress.failed,
                    total: progress.total, cancelRequested: task.action == .cancel)
            case .collect:
                guard let id = task.providerBatchID else { return .retryLater(error: "no provider batch id", retryAfterMilliseconds: nil) }
                let results: [BatchLineResult]
                do {
                    results = try await provider.results(of: id, model: task.model)
                } catch let failure as ProviderFailure {
                    logger.warning("could not read an ended batch's results", metadata: ["batch": "\(task.batchID)", "error": "\(failure)"])
                    throw failure
                }
                do {
                    try await collect(task, results)
                } catch is LostBatchLease {}
                return nil
            }
        } catch is LostBatchLease {
            logger.info("batch lease lost before sending; another worker has the batch", metadata: ["batch": "\(task.batchID)"])
            return nil
        } catch let failure as ProviderFailure where !failure.retryable && !failure.throttled && task.action == .submit {
            return .refused(error: failure.message)
        } catch let failure as ProviderFailure {
            return .retryLater(
                error: failure.message, retryAfterMilliseconds: failure.retryAfter.map { ReportedDelay.milliseconds($0.seconds) })
        } catch {
            return .retryLater(error: "\(error)", retryAfterMilliseconds: nil)
        }
    }

    /// Sends a report, retrying a coordinator that is away for up to
    /// `patience` (about 8 s by default: the task's lease outlives that).
    func report(_ task: BatchTask, _ outcome: BatchOutcome, patience: Duration = .seconds(8)) async throws {
        let deadline = ContinuousClock.now + patience
        var delay = reportRetryDelay
        while true {
            do {
                let written = try await coordinator.reportBatch(task.batchID, BatchReport(leaseToken: task.leaseToken, outcome: outcome))
                if !written {
                    // Another worker has the batch now and will do this again: nothing lost.
                    logger.info("batch report stale: another worker has the batch", metadata: ["batch": "\(task.batchID)"])
                    throw LostBatchLease()
                }
                return
            } catch let error where CoordinatorRefusal(error) == .transient && !(error is LostBatchLease) && .now + delay < deadline {
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }
}

/// The coordinator gave a batch's lease to another worker: stop, send nothing.
struct LostBatchLease: Error {}
