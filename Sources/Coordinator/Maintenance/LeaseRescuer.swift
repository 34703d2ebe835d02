import Logging
import ServiceLifecycle

/// Requeues expired leases (workers that died) every `interval`, and
/// deletes the token grants of lease round trips that broke half-way.
public struct LeaseRescuer: Service {
    let jobs: JobStore
    let signal: WorkSignal
    let interval: Duration
    let logger: Logger

    /// A rescuer on `pool`, waking lease waiters when it requeues work.
    public init(pool: PostgresPool, signal: WorkSignal, interval: Duration = .seconds(2), logger: Logger = Logger(label: "siuo.rescuer")) {
        self.jobs = JobStore(pool: pool)
        self.signal = signal
        self.interval = interval
        self.logger = logger
    }

    /// One pass; returns how many leases were rescued.
    @discardableResult
    public func runOnce() async throws -> Int {
        let rescued = try await jobs.rescueExpiredLeases()
        _ = try await RateBucketStore.deleteStaleGrants(pool: jobs.pool)
        if rescued > 0 {
            logger.info("requeued expired leases", metadata: ["count": "\(rescued)"])
            signal.notify()
        }
        return rescued
    }

    /// Passes until graceful shutdown; a failed pass (database restarting) is
    /// logged and retried on the next tick.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.warning("rescue pass failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
