import Synchronization

/// When the coordinator last answered this worker, for `/readyz`: a worker
/// is ready while it reaches its coordinator. An idle worker asks for work
/// every couple of seconds and a busy one reports endings and beats its
/// leases, so a minute without an answer means the coordinator is away.
public final class CoordinatorContact: Sendable {
    /// How recent the last answer must be for the worker to be ready.
    public static let readyWindow = Duration.seconds(60)

    private let last = Mutex<ContinuousClock.Instant?>(nil)

    /// No answer yet: not ready.
    public init() {}

    /// The coordinator answered a call just now.
    public func answered() {
        let now = ContinuousClock.now
        last.withLock { $0 = now }
    }

    /// How long ago the coordinator last answered; `nil`: never.
    public var sinceLastAnswer: Duration? {
        last.withLock { $0 }.map { ContinuousClock.now - $0 }
    }

    /// Whether the coordinator answered within `readyWindow`.
    public var isReady: Bool {
        sinceLastAnswer.map { $0 <= Self.readyWindow } ?? false
    }
}
