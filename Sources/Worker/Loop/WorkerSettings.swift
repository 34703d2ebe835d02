import Foundation

/// How a worker process behaves.
public struct WorkerSettings: Sendable {
    /// This process's id in leases (`host-pid-random` by default).
    public var workerID: String
    /// Jobs run at once.
    public var concurrency: Int
    /// Leases taken ahead of free slots, so a freed slot starts its next job at once.
    public var prefetch: Int
    /// How long a lease request waits at the coordinator for work.
    public var leaseWait: Duration = .seconds(2)
    /// After SIGTERM/SIGINT, how long running jobs may take to finish before they are released.
    public var gracePeriod: Duration = .seconds(20)
    /// How often the active endpoints are read again.
    public var endpointRefresh: Duration = .seconds(10)

    /// Settings with defaults for everything but the concurrency.
    public init(concurrency: Int, workerID: String? = nil) {
        self.concurrency = max(1, concurrency)
        self.prefetch = max(1, concurrency / 10)
        self.workerID = workerID ?? Self.defaultID()
    }

    static func defaultID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
