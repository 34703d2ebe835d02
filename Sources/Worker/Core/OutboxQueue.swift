import Shared

/// The outbox's decisions, free of I/O: which endings are pending, which go
/// in the next request, how a refused request is split, and what an answer
/// settles. `Outbox` owns one and does the sending.
struct OutboxQueue: Sendable {
    /// The most endings sent in one request (its size is bounded by `RequestSplitting`).
    static let batchSize = 200

    /// By lease, not job: the task of a lost lease may hand in its ending after
    /// the job was leased here again, and must not replace the new lease's ending.
    private var pending: [LeaseReference: JobEnding] = [:]
    private var order: [LeaseReference] = []

    /// Endings not yet answered.
    var count: Int { pending.count }

    /// Whether nothing is pending.
    var isEmpty: Bool { pending.isEmpty }

    /// Every ending not yet answered, oldest first.
    var all: [JobEnding] { order.compactMap { pending[$0] } }

    /// Queues `ending`; a newer ending of the same lease replaces an older one in
    /// place, and an ending of another lease of the same job waits beside it.
    mutating func add(_ ending: JobEnding) {
        if pending.updateValue(ending, forKey: ending.lease) == nil { order.append(ending.lease) }
    }

    /// Up to `batchSize` endings and about `RequestSplitting.maxBytes` of
    /// text, oldest first (always at least one ending when any is pending,
    /// however large), at most one per job: the answers name jobs, so two
    /// leases of one job wait for separate requests.
    func nextBatch() -> [JobEnding] {
        var jobs = Set<Int64>()
        var oldest: [JobEnding] = []
        for lease in order {
            guard oldest.count < Self.batchSize else { break }
            if let ending = pending[lease], jobs.insert(ending.jobID).inserted { oldest.append(ending) }
        }
        return Array(oldest.prefix(RequestSplitting.leadingCount(of: oldest, maxItems: Self.batchSize, bytes: \.approximateBytes)))
    }

    /// The part of `batch` still waiting for an answer (an earlier request may have settled some).
    func stillPending(_ batch: [JobEnding]) -> [JobEnding] {
        batch.filter { pending[$0.lease] == $0 }
    }

    /// Settles what the coordinator answered for. Answers come in the order
    /// the items were sent; an answer settles only the ending it was about, so
    /// another lease of the same job stays pending. Returns the settled endings
    /// with the status the coordinator gave each.
    mutating func settle(_ answers: [ItemAnswer], sent: [JobEnding]) -> [(ending: JobEnding, status: ItemStatus)] {
        var settled: [(ending: JobEnding, status: ItemStatus)] = []
        for (answer, ending) in zip(answers, sent) where answer.jobID == ending.jobID && pending[ending.lease] == ending {
            pending[ending.lease] = nil
            settled.append((ending, answer.status))
        }
        if !settled.isEmpty { order.removeAll { pending[$0] == nil } }
        return settled
    }

    /// Forgets `ending` (the coordinator refused it as invalid); returns whether it was pending.
    @discardableResult
    mutating func drop(_ ending: JobEnding) -> Bool {
        guard pending[ending.lease] == ending else { return false }
        pending[ending.lease] = nil
        order.removeAll { $0 == ending.lease }
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
