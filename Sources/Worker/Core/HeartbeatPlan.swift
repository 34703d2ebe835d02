import Shared

/// The heartbeater's decisions, free of I/O: how often to beat, how leases
/// are split into calls, and which answers mean a lease is lost.
enum HeartbeatPlan {
    /// The most leases extended in one call.
    static let leasesPerCall = 1000
    /// The pace when no lease is held (a beat then costs nothing).
    static let idlePace = Duration.seconds(1)
    /// The fastest pace, however short a lease.
    static let fastestPace = Duration.milliseconds(200)

    /// Every quarter of the shortest lease lifetime, measured from the start
    /// of one beat to the start of the next, so a lease survives two missed
    /// beats: the third starts a quarter of its life before it expires, time
    /// for the call itself.
    static func pace(shortestTTL: Duration?) -> Duration {
        guard let ttl = shortestTTL else { return idlePace }
        return max(fastestPace, ttl / 4)
    }

    /// When the next beat starts, the previous one having started at `startedAt`.
    static func nextBeat(startedAt: ContinuousClock.Instant, shortestTTL: Duration?) -> ContinuousClock.Instant {
        startedAt + pace(shortestTTL: shortestTTL)
    }

    /// `leases` in calls of at most `leasesPerCall`.
    static func calls(_ leases: [LeaseReference]) -> [[LeaseReference]] {
        stride(from: 0, to: leases.count, by: leasesPerCall).map { Array(leases[$0..<min($0 + leasesPerCall, leases.count)]) }
    }

    /// The leases of `sent` the coordinator called stale. Answers come in the
    /// order sent; one counts only when it names the lease's job.
    static func lost(sent: [LeaseReference], answers: [ItemAnswer]) -> [LeaseReference] {
        zip(sent, answers).filter { $1.status == .stale && $1.jobID == $0.jobID }.map(\.0)
    }
}
