/// At most `limit` jobs call providers at once. Leases taken a little ahead
/// wait here for a slot, so a slot that frees is refilled at once instead of
/// after a lease round trip. The counting is `SlotCounter`'s.
actor RunSlots {
    private var counter: SlotCounter
    private var continuations: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var nextID: UInt64 = 0

    init(limit: Int) {
        counter = SlotCounter(limit: limit)
    }

    /// Waits for a slot; throws `CancellationError` if the task is cancelled while waiting.
    func acquire() async throws {
        nextID += 1
        let id = nextID
        if counter.acquire(id) { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuations[id] = $0 }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

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
