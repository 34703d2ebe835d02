import Foundation
import Logging
import Shared

/// Extends every held lease in batched calls, often enough that a lease
/// survives two missed beats (`HeartbeatPlan.pace`); leases the coordinator
/// calls stale are dropped and their jobs stopped. The decisions are `HeartbeatPlan`'s.
public struct Heartbeater: Sendable {
    let coordinator: any WorkerCoordinator
    let book: LeaseBook
    let logger: Logger

    /// A heartbeater for the leases in `book`.
    public init(coordinator: any WorkerCoordinator, book: LeaseBook, logger: Logger) {
        self.coordinator = coordinator
        self.book = book
        self.logger = logger
    }

    /// One beat; returns how many leases were found lost. When a call fails,
    /// the leases earlier calls found lost are still dropped before it throws.
    @discardableResult
    public func runOnce() async throws -> Int {
        var lost: [LeaseReference] = []
        var failure: (any Error)?
        for sent in HeartbeatPlan.calls(await book.references) {
            do {
                lost += HeartbeatPlan.lost(sent: sent, answers: try await coordinator.heartbeat(sent))
            } catch {
                failure = error
                break
            }
        }
        if !lost.isEmpty {
            logger.info("leases were taken back by the coordinator; their jobs stop", metadata: ["leases": "\(lost.count)"])
            await book.lost(lost)
        }
        if let failure { throw failure }
        return lost.count
    }

    /// Beats until cancelled, each starting `HeartbeatPlan.pace` after the
    /// previous one started (however long that one took).
    public func run() async {
        var next = HeartbeatPlan.nextBeat(startedAt: .now, shortestTTL: await book.shortestTTL)
        while !Task.isCancelled {
            try? await Task.sleep(until: next)
            let started = ContinuousClock.now
            do {
                try await runOnce()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("heartbeat failed, will retry", metadata: ["error": "\(error)"])
            }
            next = HeartbeatPlan.nextBeat(startedAt: started, shortestTTL: await book.shortestTTL)
        }
    }
}
