/// At most `limit` jobs call providers at once. Leases taken a little ahead
/// wait here for a slot, so a slot that frees is refilled at once instead of
/// after a lease round trip.
actor RunSlots {
    private var free: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    init(limit: Int) {
        free = limit
    }

    /// Waits for a slot; throws `CancellationError` if the task is cancelled while waiting.
    func acquire() async throws {
        if free > 0 {
            free -= 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiters.append((id, $0)) }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func abandon(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
