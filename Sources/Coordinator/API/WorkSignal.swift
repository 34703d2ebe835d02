import Foundation
import Synchronization

/// Wakes long-polling lease requests when this coordinator makes work
/// runnable (a submit, a finished generate job, a release). Work made by
/// another replica is found by the poll's own periodic re-check.
public final class WorkSignal: Sendable {
    private let waiters = Mutex<[UUID: CheckedContinuation<Void, Never>]>([:])

    /// Creates a signal with no waiters.
    public init() {}

    /// Wakes every waiter.
    public func notify() {
        let woken = waiters.withLock { waiters in
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        woken.forEach { $0.resume() }
    }

    /// Returns on the next `notify()` or after `duration`, whichever is first.
    public func wait(upTo duration: Duration) async {
        let id = UUID()
        await withCheckedContinuation { continuation in
            waiters.withLock { $0[id] = continuation }
            Task {
                try? await Task.sleep(for: duration)
                self.waiters.withLock { $0.removeValue(forKey: id) }?.resume()
            }
        }
    }
}
