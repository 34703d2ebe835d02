/// At most `limit` jobs call providers at once. Leases taken a little ahead
/// wait here for a slot, so a slot that frees is refilled at once instead of
/// after a lease round trip. The counting is `SlotCounter`'s.
actor RunSlots {
    private var counter: SlotCounter
    private var continuations: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var nextID: UInt64 = 0
    private var closed = false

    init(limit: Int) {
        counter = SlotCounter(limit: limit)
    }

    /// Waits for a slot; throws `CancellationError` if the task is cancelled while waiting, or the
    /// slots are closed.
    func acquire() async throws {
        guard !closed else { throw CancellationError() }
        nextID += 1
        let id = nextID
        if counter.acquire(id) { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuations[id] = $0 }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    /// No waiter gets a slot from now on (shutdown): each waiting now, and each that comes, is told
    /// `CancellationError`, so a lease that never started is released at once instead of starting
    /// during the grace period, which is for the jobs already running.
    func close() {
        closed = true
        for id in counter.dropWaiters() {
            continuations.removeValue(forKey: id)?.resume(throwing: CancellationError())
        }
    }

    /// Leases waiting for a slot.
    var waiting: Int { counter.waiting }

    /// Gives a slot back, to the first waiter if any.
    func release() {
        guard let next = counter.release() else { return }
        continuations.removeValue(forKey: next)?.resume()
    }

    private func abandon(_ id: UInt64) {
        guard counter.abandon(id) else { return }
        continuations.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}
