import CLibPQ
import Foundation
import Synchronization

/// Cancels the statement running on one connection when the task that
/// started it is cancelled (libpq's `PQcancel`, which is thread-safe and
/// needs no access to the busy connection).
///
/// Each call on the connection gets a number. The connection's thread
/// marks the call running while it talks to the server; a cancellation of
/// that call sends a cancel request, on a thread of its own (it opens a
/// new connection to the server, so it blocks), only while the same call
/// still runs, or stops it before it begins. A call a task makes after
/// it was cancelled runs as usual (the connection does not watch it):
/// clean-up (a ROLLBACK, rate tokens given back) must still reach the
/// database.
///
/// Two locks: `state`, only ever held for a few instructions, which the
/// callers' threads (Swift's cooperative pool among them) take; and
/// `sending`, held by the cancel thread through `PQcancel`, which only the
/// connection's own thread waits on: so the cancel object is never freed
/// while a request uses it, a call that ends knows whether the request
/// stopped it, and the next call cannot begin before the request is out,
/// yet no cooperative thread ever waits on a cancel request's network
/// round trip.
final class PostgresCanceller: Sendable {
    private let state = Mutex<State>(State())
    private let sending = Mutex<Void>(())
    private let calls = Atomic<UInt64>(0)

    private struct State {
        /// libpq's cancel object for the open session.
        var cancel: CancelHandle?
        /// The call now talking to the server.
        var running: UInt64?
        /// A call cancelled before its thread got to it: it must not begin.
        var cancelledEarly: UInt64?
        /// Whether a cancel request went out for `running`.
        var sent = false
    }

    /// A new call's number.
    func nextCall() -> UInt64 {
        calls.add(1, ordering: .relaxed).newValue
    }

    /// Keeps the cancel object of a newly opened session (on the connection's thread).
    func attach(_ handle: OpaquePointer) {
        let cancel = PQgetCancel(handle).map(CancelHandle.init)
        let old = sending.withLock { _ in
            state.withLock { state in
                defer { state.cancel = cancel }
                return state.cancel
            }
        }
        if let old { PQfreeCancel(old.pointer) }
    }

    /// Frees the cancel object before its session is closed (on the connection's thread).
    func detach() {
        let old = sending.withLock { _ in
            state.withLock { state in
                defer { state.cancel = nil }
                return state.cancel
            }
        }
        if let old { PQfreeCancel(old.pointer) }
    }

    /// Marks `call` running; false when it was cancelled before its thread
    /// got to it, and then nothing may be sent. Waits for a cancel request
    /// still going out for the call before (on the connection's thread).
    func begin(_ call: UInt64) -> Bool {
        sending.withLock { _ in
            state.withLock { state in
                guard state.cancelledEarly != call else { return false }
                state.running = call
                state.sent = false
                return true
            }
        }
    }

    /// Marks `call` finished; returns whether a cancel request was sent for
    /// it. Waits for one still going out, so a statement our request stopped
    /// is known as ours (on the connection's thread).
    func end(_ call: UInt64) -> Bool {
        sending.withLock { _ in
            state.withLock { state in
                guard state.running == call else { return false }
                state.running = nil
                return state.sent
            }
        }
    }

    /// The task of `call` was cancelled during the call: a running call is
    /// cancelled on the server, one its thread has not begun never begins.
    func cancel(_ call: UInt64) {
        let running = state.withLock { state in
            if state.running != call { state.cancelledEarly = call }
            return state.running == call
        }
        guard running else { return }
        Thread.detachNewThread { [self] in
            sending.withLock { _ in
                let target = state.withLock { state in
                    state.running == call && !state.sent ? state.cancel : nil
                }
                guard let target else { return }
                var buffer = [CChar](repeating: 0, count: 256)
                let sent = PQcancel(target.pointer, &buffer, Int32(buffer.count)) == 1
                state.withLock { state in
                    if state.running == call { state.sent = sent }
                }
            }
        }
    }
}

/// libpq's `PGcancel`, safe to use from any thread (libpq documents `PQcancel` so).
private struct CancelHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
