/// Where a sweep is, as users see it (`siuo sweep status`, `GET /v1/sweeps/{name}`, the
/// report's `state`; docs/protocol.md, "The report"): what it was told until every job has
/// finished, then `done` or `failed`.
public enum SweepState: String, Sendable, Codable, CaseIterable {
    /// Leasing; jobs are still to finish.
    case running
    /// Told to stop leasing; leased jobs still finish.
    case paused
    /// Told to stop for good: its unfinished jobs were cancelled (a resume or a resubmit starts it again).
    case cancelled
    /// Every job finished with its result.
    case done
    /// Every job finished, some without a result.
    case failed

    /// Every job has finished: the sweep's results are whole (a cancelled sweep's are not).
    public var isComplete: Bool { self == .done || self == .failed }

    /// No job changes until someone acts: watchers stop, and a report gives the finish time.
    public var isSettled: Bool { isComplete || self == .cancelled }

    /// The state a user sees from what the sweep was `told` (`running`, `paused`, `cancelled`,
    /// the `sweeps.state` column) and its jobs: `done`/`failed` once a running sweep's jobs
    /// have all finished.
    public static func shown(told: SweepState, jobs: JobCounts) -> SweepState {
        guard told == .running else { return told }
        if jobs.unfinished > 0 || jobs.total == 0 { return .running }
        return jobs.failed > 0 ? .failed : .done
    }
}
