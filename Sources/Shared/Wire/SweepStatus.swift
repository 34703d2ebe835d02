/// `siuo sweep status NAME --json` and `GET /v1/sweeps/{name}` (DESIGN §7).
public struct SweepStatus: Sendable, Codable, Equatable {
    /// The sweep's name.
    public var name: String
    /// `running`, `paused`, `cancelled`, `done` or `failed`.
    public var state: String
    /// Jobs by state.
    public var jobs: JobCounts
    /// Model → job kind → counts; judge jobs count under the model they grade.
    public var models: [String: [String: KindCounts]]

    /// Creates a status.
    public init(name: String, state: String, jobs: JobCounts, models: [String: [String: KindCounts]]) {
        self.name = name
        self.state = state
        self.jobs = jobs
        self.models = models
    }

    /// The state a user sees: `done`/`failed` once every job has finished,
    /// else what the sweep was told (`running`, `paused`, `cancelled`).
    public static func derivedState(stored: String, jobs: JobCounts) -> String {
        if stored == "paused" || stored == "cancelled" { return stored }
        if jobs.queued + jobs.leased > 0 || jobs.total == 0 { return "running" }
        return jobs.failed > 0 ? "failed" : "done"
    }
}

/// Jobs by state.
public struct JobCounts: Sendable, Codable, Equatable {
    /// Every job.
    public var total = 0
    /// Waiting to be leased.
    public var queued = 0
    /// Held by a worker.
    public var leased = 0
    /// Finished with a result.
    public var done = 0
    /// Finished without one, for good.
    public var failed = 0
    /// Cancelled with their sweep.
    public var cancelled = 0

    /// Creates counts.
    public init(total: Int = 0, queued: Int = 0, leased: Int = 0, done: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        self.total = total
        self.queued = queued
        self.leased = leased
        self.done = done
        self.failed = failed
        self.cancelled = cancelled
    }

    /// Adds `count` jobs in `state`.
    public mutating func add(_ count: Int, state: String) {
        total += count
        switch state {
        case "queued": queued += count
        case "leased": leased += count
        case "done": done += count
        case "failed": failed += count
        case "cancelled": cancelled += count
        default: break
        }
    }
}

/// Jobs of one kind for one model.
public struct KindCounts: Sendable, Codable, Equatable {
    /// Every job.
    public var total = 0
    /// Finished with a result.
    public var done = 0

    /// Creates counts.
    public init(total: Int = 0, done: Int = 0) {
        self.total = total
        self.done = done
    }
}
