import Foundation
import Logging
import Shared

/// Job endings waiting for the coordinator, sent in batches. An ending stays
/// here until the coordinator answers for it (`accepted`, or `stale` when the
/// lease is gone), so a coordinator outage loses no finished work.
public actor Outbox {
    private let client: CoordinatorClient
    private let book: LeaseBook
    private let logger: Logger
    private var pending: [Int64: JobEnding] = [:]
    private var order: [Int64] = []
    private var wake: CheckedContinuation<Void, Never>?
    private var closed = false

    /// The most endings sent in one request.
    public static let batchSize = 200

    /// An outbox reporting through `client` and settling leases in `book`.
    public init(client: CoordinatorClient, book: LeaseBook, logger: Logger) {
        self.client = client
        self.book = book
        self.logger = logger
    }

    /// Queues an ending.
    public func add(_ ending: JobEnding) {
        if pending.updateValue(ending, forKey: ending.jobID) == nil { order.append(ending.jobID) }
        wake?.resume()
        wake = nil
    }

    /// Endings not yet answered.
    public var count: Int { pending.count }

    /// Sends one batch of what is pending; returns whether the coordinator answered.
    @discardableResult
    public func flushOnce() async -> Bool {
        let batch = order.prefix(Self.batchSize).compactMap { pending[$0] }
        guard !batch.isEmpty else { return true }
        do {
            let results = batch.compactMap { if case .result(let r) = $0 { r } else { nil } }
            let failures = batch.compactMap { if case .failure(let f) = $0 { f } else { nil } }
            let releases = batch.compactMap { if case .release(let l) = $0 { l } else { nil } }
            // Settle after each call: a later call failing must not resend what was answered.
            if !results.isEmpty { await settle(try await client.complete(results)) }
            if !failures.isEmpty { await settle(try await client.fail(failures)) }
            if !releases.isEmpty { await settle(try await client.release(releases)) }
            return true
        } catch {
            logger.warning("could not report \(batch.count) job endings, will retry: \(error)")
            return false
        }
    }

    private func settle(_ answers: [ItemAnswer]) async {
        for answer in answers { await settle(answer) }
    }

    private func settle(_ answer: ItemAnswer) async {
        guard pending.removeValue(forKey: answer.jobID) != nil else { return }
        order.removeAll { $0 == answer.jobID }
        if answer.status == .stale { logger.info("job \(answer.jobID): the lease was gone, the coordinator kept nothing from it") }
        await book.settled(answer.jobID)
    }

    /// Flushes whenever something is pending, backing off while the
    /// coordinator is unreachable, until `close()` and nothing is left (or `deadline`).
    public func run() async {
        var delay = Duration.milliseconds(100)
        while !(closed && pending.isEmpty) {
            if pending.isEmpty {
                await withCheckedContinuation { wake = $0 }
                continue
            }
            // A short gather lets endings finishing together share a request.
            if pending.count < Self.batchSize { try? await Task.sleep(for: .milliseconds(20)) }
            if await flushOnce() {
                delay = .milliseconds(100)
            } else if !pending.isEmpty {
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
