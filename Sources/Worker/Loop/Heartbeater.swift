import Foundation
import Logging
import Shared

/// Extends every held lease in batched calls, often enough that a lease
/// survives two missed beats; leases the coordinator calls stale are dropped
/// and their jobs stopped. The decisions are `HeartbeatPlan`'s.
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

    /// One beat; returns how many leases were found lost.
    @discardableResult
    public func runOnce() async throws -> Int {
        var lost: [LeaseReference] = []
        for sent in HeartbeatPlan.calls(await book.references) {
            lost += HeartbeatPlan.lost(sent: sent, answers: try await coordinator.heartbeat(sent))
        }
        if !lost.isEmpty {
            logger.info("leases were taken back by the coordinator; their jobs stop", metadata: ["leases": "\(lost.count)"])
            await book.lost(lost)
        }
        return lost.count
    }

    /// Beats at `HeartbeatPlan.pace` until cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: HeartbeatPlan.pace(shortestTTL: await book.shortestTTL))
            do {
                try await runOnce()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("heartbeat failed, will retry", metadata: ["error": "\(error)"])
            }
        }
    }
}
