import Synchronization

/// Whether this coordinator still wants new traffic. On SIGTERM it starts draining: `/readyz` answers
/// 503 so load balancers and Kubernetes Services take it out of rotation, while every route keeps
/// serving until the drain delay ends (``DrainOnShutdown``).
public final class ServingState: Sendable {
    private let draining = Atomic(false)

    /// A coordinator that serves.
    public init() {}

    /// Whether draining has begun.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Begins draining; there is no way back (the process is stopping).
    public func startDraining() { draining.store(true, ordering: .relaxed) }
}
