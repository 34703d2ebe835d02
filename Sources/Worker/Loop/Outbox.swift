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
    /// About the most text sent in one request, well under the coordinator's body limit.
    public static let batchBytes = 4 << 20

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
        let batch = nextBatch()
        guard !batch.isEmpty else { return true }
        do {
            try await deliver(batch)
            return true
        } catch {
            logger.warning("could not report \(batch.count) job endings, will retry: \(error)")
            return false
        }
    }

    /// Up to `batchSize` endings and about `batchBytes` of text, oldest first.
    private func nextBatch() -> [JobEnding] {
        var batch: [JobEnding] = []
        var bytes = 0
        for id in order {
            guard let ending = pending[id] else { continue }
            bytes += ending.approximateBytes
            if !batch.isEmpty && (batch.count >= Self.batchSize || bytes > Self.batchBytes) { break }
            batch.append(ending)
        }
        return batch
    }

    /// Sends `batch`; when the coordinator refuses it whole (400, 413), sends
    /// its halves, down to the one ending at fault, which is dropped and
    /// logged: its lease then lapses and the job runs again, instead of one
    /// bad ending blocking every report behind it.
    private func deliver(_ batch: [JobEnding]) async throws {
        let batch = batch.filter { pending[$0.jobID] == $0 }
        guard !batch.isEmpty else { return }
        do {
            try await send(batch)
        } catch let refused as CoordinatorClientError where refused.status == 400 || refused.status == 413 {
            guard batch.count > 1 else { return await drop(batch[0], because: refused) }
            try await deliver(Array(batch[..<(batch.count / 2)]))
            try await deliver(Array(batch[(batch.count / 2)...]))
        }
    }

    private func send(_ batch: [JobEnding]) async throws {
        let results = batch.filter { if case .result = $0 { true } else { false } }
        let failures = batch.filter { if case .failure = $0 { true } else { false } }
        let releases = batch.filter { if case .release = $0 { true } else { false } }
        // Settle after each call: a later call failing must not resend what was answered.
        if !results.isEmpty {
            await settle(try await client.complete(results.compactMap { if case .result(let r) = $0 { r } else { nil } }), sent: results)
        }
        if !failures.isEmpty {
            await settle(try await client.fail(failures.compactMap { if case .failure(let f) = $0 { f } else { nil } }), sent: failures)
        }
        if !releases.isEmpty {
            await settle(try await client.release(releases.compactMap { if case .release(let l) = $0 { l } else { nil } }), sent: releases)
        }
    }

    /// Answers come in the order the items were sent. An answer settles only
    /// the ending it was about: a newer lease of the same job stays pending.
    private func settle(_ answers: [ItemAnswer], sent: [JobEnding]) async {
        for (answer, ending) in zip(answers, sent) where answer.jobID == ending.jobID && pending[ending.jobID] == ending {
            pending[ending.jobID] = nil
            if answer.status == .stale { logger.info("job \(answer.jobID): the lease was gone, the coordinator kept nothing from it") }
            await book.settled(ending.lease)
        }
        order.removeAll { pending[$0] == nil }
    }

    private func drop(_ ending: JobEnding, because refused: CoordinatorClientError) async {
        logger.error("job \(ending.jobID): the coordinator refused its report, dropped (the job will run again): \(refused)")
        pending[ending.jobID] = nil
        order.removeAll { $0 == ending.jobID }
        await book.settled(ending.lease)
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
