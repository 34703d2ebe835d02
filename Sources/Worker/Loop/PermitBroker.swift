import Foundation
import Logging
import Shared

/// Rate tokens for requests a lease did not carry (retries, later samples,
/// judge re-asks). Callers wait in line per endpoint; one flusher asks the
/// coordinator for all of them in one batched `POST /v1/permits`, and asks
/// again after the delay it names for those still waiting. The decisions are
/// `PermitQueue`'s.
public actor PermitBroker {
    private let ask: @Sendable ([PermitRequest]) async throws -> [PermitGrant]
    private let logger: Logger
    private var queue = PermitQueue()
    /// When a failed ask was last logged: while the coordinator keeps failing, once a minute is enough.
    private var loggedFailureAt: ContinuousClock.Instant?
    /// The shortest time between two logged failures.
    private let failureLogInterval: Duration
    private var continuations: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var nextID: UInt64 = 0
    private var flusher: Task<Void, Never>?
    /// The flusher's sleep while no endpoint may ask: until when, and the task to cut it short.
    private var nap: (until: ContinuousClock.Instant, task: Task<Void, Never>)?
    /// How long requests gather before an ask goes out, so many jobs share one round trip.
    static let gathering = Duration.milliseconds(10)

    /// A broker that sends batches with `ask`, logging failed asks to
    /// `logger`, at most once every `failureLogInterval`.
    public init(
        ask: @escaping @Sendable ([PermitRequest]) async throws -> [PermitGrant], logger: Logger = Logger(label: "siuo.permits"),
        failureLogInterval: Duration = .seconds(60)
    ) {
        self.ask = ask
        self.logger = logger
        self.failureLogInterval = failureLogInterval
    }

    /// Returns once the coordinator granted one request to `endpoint`.
    public func acquire(_ endpoint: EndpointKey) async throws {
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                continuations[id] = continuation
                queue.enqueue(id, for: endpoint)
                startFlusher()
            }
        } onCancel: {
            Task { await self.abandon(id, endpoint) }
        }
    }

    private func abandon(_ id: UInt64, _ endpoint: EndpointKey) {
        guard queue.abandon(id, for: endpoint) else { return }
        continuations.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    private func startFlusher() {
        guard flusher == nil else {
            // Asleep until a throttled endpoint may ask again, the flusher wakes for one that may ask
            // sooner: one endpoint told to wait a minute must not hold up every other endpoint's permits.
            if let nap, let next = queue.nextAsk(now: .now), next + Self.gathering < nap.until { nap.task.cancel() }
            return
        }
        flusher = Task { await flushUntilEmpty() }
    }

    private func flushUntilEmpty() async {
        while let next = queue.nextAsk(now: .now) {
            // A short pause lets requests from many jobs share one round trip;
            // while every waiting endpoint is told to wait, sleep until the first may ask.
            let until = max(next, .now + Self.gathering)
            let sleep = Task<Void, Never> { try? await Task.sleep(until: until) }
            nap = (until, sleep)
            await sleep.value
            nap = nil
            let due = queue.due(now: .now)
            guard !due.isEmpty else { continue }
            do {
                let grants = try await ask(due)
                for (request, grant) in zip(due, grants) {
                    for id in queue.apply(grant, for: request.endpoint, now: .now) {
                        continuations.removeValue(forKey: id)?.resume()
                    }
                }
            } catch {
                queue.failed(due, now: .now)
                logFailure(error)
            }
        }
        flusher = nil
    }

    /// Logs a failed ask (the waiting jobs ask again), at most once a
    /// `failureLogInterval`, by what the failure means (`CoordinatorRefusal`).
    private func logFailure(_ error: any Error) {
        let now = ContinuousClock.now
        if let last = loggedFailureAt, now - last < failureLogInterval { return }
        loggedFailureAt = now
        switch CoordinatorRefusal(error) {
        case .unauthorized:
            logger.error(
                "permits: the coordinator refuses this worker's token; jobs waiting for permits keep waiting", metadata: ["error": "\(error)"])
        case .invalid:
            logger.error("permits: the coordinator refused the request as invalid; asking again", metadata: ["error": "\(error)"])
        case .transient:
            logger.warning("permits: the coordinator is unreachable or busy; asking again", metadata: ["error": "\(error)"])
        }
    }
}
