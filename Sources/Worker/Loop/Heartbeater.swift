import Foundation
import Logging
import Shared

/// Extends every held lease in one batched call, often enough that a lease
/// survives two missed beats; leases the coordinator calls stale are dropped
/// and their jobs stopped.
public struct Heartbeater: Sendable {
    let client: CoordinatorClient
    let book: LeaseBook
    let logger: Logger

    /// A heartbeater for the leases in `book`.
    public init(client: CoordinatorClient, book: LeaseBook, logger: Logger) {
        self.client = client
        self.book = book
        self.logger = logger
    }

    /// One beat; returns how many leases were found lost.
    @discardableResult
    public func runOnce() async throws -> Int {
        let references = await book.references
        guard !references.isEmpty else { return 0 }
        var lost: [LeaseReference] = []
        for start in stride(from: 0, to: references.count, by: 1000) {
            let sent = Array(references[start..<min(start + 1000, references.count)])
            let answers = try await client.heartbeat(sent)
            // Answers come in the order sent; each names the lease it was about.
            lost += zip(sent, answers).filter { $1.status == .stale && $1.jobID == $0.jobID }.map(\.0)
        }
        if !lost.isEmpty {
            logger.info("\(lost.count) leases were taken back by the coordinator; their jobs stop")
            await book.lost(lost)
        }
        return lost.count
    }

    /// Beats every third of the shortest lease lifetime until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let ttl = await book.shortestTTL ?? .seconds(3)
            try? await Task.sleep(for: max(.milliseconds(200), ttl / 3))
            do {
                try await runOnce()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("heartbeat failed, will retry: \(error)")
            }
        }
    }
}
