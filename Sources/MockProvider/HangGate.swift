import NIOCore
import Synchronization

/// Holds `hang` requests until their time is up, the client goes away, or the
/// server shuts down, whichever comes first. Without the release, a graceful
/// shutdown would wait minutes for hung requests to finish.
final class HangGate: Sendable {
    private struct State {
        var released = false
        var next: UInt64 = 0
        /// Holds in progress; a wake for any other id is stale and ignored.
        var active: Set<UInt64> = []
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Woken before their continuation was registered.
        var woken: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Ends every hang now and any later one at once.
    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits up to `duration`, or until `closed` completes, or `release()`, or cancellation.
    func hold(for duration: Duration, closed: EventLoopFuture<Void>) async {
        let id = state.withLock { state in
            defer { state.next += 1 }
            state.active.insert(state.next)
            return state.next
        }
        closed.whenComplete { _ in self.wake(id) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.waitForWake(id) }
            await group.next()
            group.cancelAll()
        }
        state.withLock { state in
            state.active.remove(id)
            state.woken.remove(id)
        }
    }

    private func wake(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.active.contains(id) else { return nil }
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            state.woken.insert(id)
            return nil
        }
        waiter?.resume()
    }

    private func waitForWake(_ id: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.released || state.woken.contains(id) { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
    }
}
