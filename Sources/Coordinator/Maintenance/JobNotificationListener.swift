import Logging
import ServiceLifecycle
import Synchronization

/// Wakes this coordinator's waiting lease requests when any replica makes
/// work runnable (docs/architecture.md, "Lease").
///
/// Every write that makes work runnable sends `pg_notify('siuo_jobs')`
/// inside its transaction, so the notification goes out at commit. This
/// service holds one session of its own that `LISTEN`s on that channel
/// and calls `WorkSignal.notify()` for each batch it reads. When the
/// session is lost it reconnects with backoff; meanwhile the signal says
/// it hears nobody, and waiters re-check on their own
/// (`LeaseWaitTiming.unheard`). After each (re)connect waiters are woken
/// once, for notifications that went out while it was away.
///
/// It needs a session of its own: through PgBouncer, a direct or
/// session-mode connection (docs/operations.md, "Behind PgBouncer").
public struct JobNotificationListener: Service {
    /// The channel every work-making transaction notifies.
    public static let channel = JobSQL.channel

    let connection: PostgresListenConnection
    let signal: WorkSignal
    let backoff: Backoff
    let logger: Logger
    private let status = ListenerStatus()

    /// How long to wait before reconnecting: from `initial`, doubling up to
    /// `maximum`; back to `initial` after a session that got to listen.
    public struct Backoff: Sendable {
        /// The first wait.
        public var initial: Duration
        /// The longest wait.
        public var maximum: Duration

        /// A backoff from `initial` to `maximum`.
        public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(10)) {
            self.initial = initial
            self.maximum = maximum
        }
    }

    /// A listener on `url` (a direct or session-mode connection) waking `signal`.
    public init(
        url: String, settings: PostgresSessionSettings = .standard, signal: WorkSignal, backoff: Backoff = Backoff(),
        pingInterval: Duration = .seconds(30), logger: Logger = Logger(label: "siuo.listener")
    ) {
        self.connection = PostgresListenConnection(url: url, settings: settings, pingInterval: pingInterval)
        self.signal = signal
        self.backoff = backoff
        self.logger = logger
    }

    /// The backend process id of the listening session while it listens
    /// (tests end it with `pg_terminate_backend`), else nil.
    public var backendPID: Int32? {
        status.backendPID
    }

    /// How many sessions got to listen so far (the first, then each reconnect).
    public var sessions: Int {
        status.sessions
    }

    /// Listens until graceful shutdown or cancellation, reconnecting as needed.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.listenUntilCancelled()
        }
    }

    private func listenUntilCancelled() async {
        var delay = backoff.initial
        while !Task.isCancelled {
            let status = self.status
            let signal = self.signal
            let logger = self.logger
            do {
                try await connection.listen(
                    channel: Self.channel,
                    onListening: { pid in
                        status.listening(pid)
                        signal.setHearsOtherReplicas(true)
                        logger.info("listening for work notifications", metadata: ["channel": "\(Self.channel)", "backend_pid": "\(pid)"])
                        // Whatever was notified while no session listened.
                        signal.notify()
                    },
                    onNotification: { signal.notify() })
            } catch is CancellationError {
                break
            } catch {
                let wasListening = status.stopped()
                signal.setHearsOtherReplicas(false)
                if wasListening { delay = backoff.initial }
                logger.warning(
                    "work notifications unavailable, lease waiters re-check on their own; reconnecting",
                    metadata: ["in": "\(delay)", "error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, backoff.maximum)
        }
        status.stopped()
        signal.setHearsOtherReplicas(false)
    }
}

/// What the listener's session is doing, for tests and logs.
private final class ListenerStatus: Sendable {
    private let state = Mutex<(pid: Int32?, sessions: Int)>((nil, 0))

    var backendPID: Int32? { state.withLock { $0.pid } }
    var sessions: Int { state.withLock { $0.sessions } }

    func listening(_ pid: Int32) {
        state.withLock {
            $0.pid = pid
            $0.sessions += 1
        }
    }

    /// Returns whether a session was listening.
    @discardableResult
    func stopped() -> Bool {
        state.withLock { state in
            defer { state.pid = nil }
            return state.pid != nil
        }
    }
}
