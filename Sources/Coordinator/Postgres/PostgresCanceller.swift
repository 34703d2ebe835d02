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
/// database. The lock is held through `PQcancel`, so the cancel object is
/// never freed under it and the next call cannot start before the request
/// is out.
final class PostgresCanceller: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        /// libpq's cancel object for the open session.
        var cancel: CancelHandle?
        var nextCall: UInt64 = 0
        /// The call now talking to the server.
        var running: UInt64?
        /// A call cancelled before its thread got to it: it must not begin.
        var cancelledEarly: UInt64?
        /// Whether a cancel request went out for `running`.
        var sent = false
    }

    /// A new call's number.
    func nextCall() -> UInt64 {
        state.withLock { state in
            state.nextCall += 1
            return state.nextCall
        }
    }

    /// Keeps the cancel object of a newly opened session (on the connection's thread).
    func attach(_ handle: OpaquePointer) {
        let cancel = PQgetCancel(handle).map(CancelHandle.init)
        let old = state.withLock { state in
            defer { state.cancel = cancel }
            return state.cancel
        }
        if let old { PQfreeCancel(old.pointer) }
    }

    /// Frees the cancel object before its session is closed (on the connection's thread).
    func detach() {
        let old = state.withLock { state in
            defer { state.cancel = nil }
            return state.cancel
        }
        if let old { PQfreeCancel(old.pointer) }
    }

    /// Marks `call` running; false when it was cancelled before its thread
    /// got to it, and then nothing may be sent.
    func begin(_ call: UInt64) -> Bool {
        state.withLock { state in
            guard state.cancelledEarly != call else { return false }
            state.running = call
            state.sent = false
            return true
        }
    }

    /// Marks `call` finished; returns whether a cancel request was sent for it.
    func end(_ call: UInt64) -> Bool {
        state.withLock { state in
            guard state.running == call else { return false }
            state.running = nil
            return state.sent
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
            state.withLock { state in
                guard state.running == call, !state.sent, let cancel = state.cancel else { return }
                var buffer = [CChar](repeating: 0, count: 256)
                state.sent = PQcancel(cancel.pointer, &buffer, Int32(buffer.count)) == 1
            }
        }
    }
}

/// libpq's `PGcancel`, safe to use from any thread (libpq documents `PQcancel` so).
private struct CancelHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
