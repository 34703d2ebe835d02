import Shared

/// The outbox's decisions, free of I/O: which endings are pending, which go
/// in the next request, how a refused request is split, and what an answer
/// settles. `Outbox` owns one and does the sending.
struct OutboxQueue: Sendable {
    /// The most endings sent in one request (its size is bounded by `RequestSplitting`).
    static let batchSize = 200

    private var pending: [Int64: JobEnding] = [:]
    private var order: [Int64] = []

    /// Endings not yet answered.
    var count: Int { pending.count }

    /// Whether nothing is pending.
    var isEmpty: Bool { pending.isEmpty }

    /// Every ending not yet answered, oldest first.
    var all: [JobEnding] { order.compactMap { pending[$0] } }

    /// Queues `ending`; a newer ending of the same job replaces an older one in place.
    mutating func add(_ ending: JobEnding) {
        if pending.updateValue(ending, forKey: ending.jobID) == nil { order.append(ending.jobID) }
    }

    /// Up to `batchSize` endings and about `RequestSplitting.maxBytes` of
    /// text, oldest first (always at least one ending when any is pending, however large).
    func nextBatch() -> [JobEnding] {
        let oldest = order.lazy.compactMap { pending[$0] }
        return Array(oldest.prefix(RequestSplitting.leadingCount(of: oldest, maxItems: Self.batchSize, bytes: \.approximateBytes)))
    }

    /// The part of `batch` still waiting for an answer (an earlier request may have settled some).
    func stillPending(_ batch: [JobEnding]) -> [JobEnding] {
        batch.filter { pending[$0.jobID] == $0 }
    }

    /// Settles what the coordinator answered for. Answers come in the order
    /// the items were sent; an answer settles only the ending it was about, so
    /// a newer lease of the same job stays pending. Returns the settled endings
    /// with the status the coordinator gave each.
    mutating func settle(_ answers: [ItemAnswer], sent: [JobEnding]) -> [(ending: JobEnding, status: ItemStatus)] {
        var settled: [(ending: JobEnding, status: ItemStatus)] = []
        for (answer, ending) in zip(answers, sent) where answer.jobID == ending.jobID && pending[ending.jobID] == ending {
            pending[ending.jobID] = nil
            settled.append((ending, answer.status))
        }
        if !settled.isEmpty { order.removeAll { pending[$0] == nil } }
        return settled
    }

    /// Forgets `ending` (the coordinator refused it as invalid); returns whether it was pending.
    @discardableResult
    mutating func drop(_ ending: JobEnding) -> Bool {
        guard pending[ending.jobID] == ending else { return false }
        pending[ending.jobID] = nil
        order.removeAll { $0 == ending.jobID }
        return true
    }
}

extension JobEnding {
    /// The endings of `batch` by route, each list in batch order: results,
    /// failures, deferrals and releases go to the coordinator in separate calls.
    static func byRoute(_ batch: [JobEnding]) -> Routes {
        var routes = Routes()
        for ending in batch {
            switch ending {
            case .result(let result): routes.results.append(result)
            case .failure(let failure): routes.failures.append(failure)
            case .deferral(let deferral): routes.deferrals.append(deferral)
            case .release(let lease): routes.releases.append(lease)
            }
        }
        return routes
    }

    /// Endings sorted by the route that takes them.
    struct Routes {
        var results: [JobResult] = []
        var failures: [JobFailure] = []
        var deferrals: [JobDeferral] = []
        var releases: [LeaseReference] = []
    }
}
