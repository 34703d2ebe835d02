import Foundation
import Synchronization

/// Wakes long-polling lease requests when work may have become runnable.
///
/// This coordinator's routes notify it when they make work (a submit, a
/// finished generate job, a release), and so does its
/// ``JobNotificationListener`` whenever any replica's transaction sends
/// `pg_notify('siuo_jobs')` (docs/architecture.md, "Lease").
/// Work that becomes runnable only by time passing (a retry's delay, rate
/// tokens refilling, a lease slot freed under `max_in_flight` on another
/// replica) sends no notification: waiters find it by re-checking every
/// ``LeaseWaitTiming`` interval.
public final class WorkSignal: Sendable {
    private let state = Mutex<State>(State())
    private let listening = Atomic<Bool>(false)

    private struct State {
        /// Counts `notify()` calls, so a notification between a waiter's
        /// look for work and its wait is not missed.
        var generation: UInt64 = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    /// Creates a signal with no waiters.
    public init() {}

    /// Wakes every waiter.
    public func notify() {
        let woken = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        woken.forEach { $0.resume() }
    }

    /// A mark to take before looking for work; `wait(after:upTo:)` with it
    /// returns at once when a notification came after it.
    public var mark: UInt64 {
        state.withLock { $0.generation }
    }

    /// Returns on the first `notify()` after `mark`, after `duration`, or
    /// when the task is cancelled, whichever is first.
    public func wait(after mark: UInt64, upTo duration: Duration) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let missed = state.withLock { state in
                    if state.generation != mark || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if missed {
                    continuation.resume()
                    return
                }
                Task {
                    try? await Task.sleep(for: duration)
                    self.wake(id)
                }
            }
        } onCancel: {
            wake(id)
        }
    }

    /// Returns on the next `notify()` or after `duration`, whichever is first.
    public func wait(upTo duration: Duration) async {
        await wait(after: mark, upTo: duration)
    }

    /// How many waits are in progress (lease requests waiting for work).
    public var waiting: Int {
        state.withLock { $0.waiters.count }
    }

    /// Whether notifications from other replicas reach this signal now (its
    /// listener is connected and listening).
    public var hearsOtherReplicas: Bool {
        listening.load(ordering: .acquiring)
    }

    /// Set by the listener as it connects and loses its connection.
    func setHearsOtherReplicas(_ value: Bool) {
        listening.store(value, ordering: .releasing)
    }

    private func wake(_ id: UUID) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}

/// How often a waiting lease request re-checks for work no notification
/// announces (docs/architecture.md, "Lease"): rate tokens that
/// refilled, retry delays that ran out, an in-flight slot another replica
/// freed. 200 ms by default: a bucket holds a second of tokens, so a waiter
/// that looks five times a second takes them before they overflow, while an
/// idle worker costs the database five reads a second, not the twenty of a
/// 50 ms poll.
public struct LeaseWaitTiming: Sendable {
    /// The re-check interval while the listener hears other replicas.
    public var listening: Duration
    /// The re-check interval without a listener, or while it is disconnected.
    public var unheard: Duration
    /// The longest a lease request may wait for work; a longer `wait_ms` is cut to it.
    public var longest: Duration

    /// Re-checks every `listening` / `unheard`; waits at most `longest`.
    public init(listening: Duration = .milliseconds(200), unheard: Duration = .milliseconds(200), longest: Duration = .seconds(30)) {
        self.listening = listening
        self.unheard = unheard
        self.longest = longest
    }

    /// The interval for `signal`'s current state.
    func recheck(for signal: WorkSignal) -> Duration {
        signal.hearsOtherReplicas ? listening : unheard
    }
}
