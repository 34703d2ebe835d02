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

    /// Waits up to `duration`, or until the client closes its side of
    /// `channel`, or `release()`, or cancellation.
    func hold(for duration: Duration, channel: any Channel) async {
        let id = state.withLock { state in
            defer { state.next += 1 }
            state.active.insert(state.next)
            return state.next
        }
        // The server allows half-closed connections, so a client that gives up
        // shows only as an input-closed event, never as a channel close.
        let watcher = InboundCloseWatcher { self.wake(id) }
        _ = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(watcher, position: .first)
        }.get()
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

/// Reports the end of a connection's input (or the connection's end) once.
private final class InboundCloseWatcher: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    // Only touched on the channel's event loop.
    private var onClose: (@Sendable () -> Void)?

    init(onClose: @escaping @Sendable () -> Void) {
        self.onClose = onClose
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent { fire() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fire()
        context.fireChannelInactive()
    }

    private func fire() {
        onClose?()
        onClose = nil
    }
}
