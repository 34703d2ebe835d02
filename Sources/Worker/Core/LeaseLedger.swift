import Shared

/// The leases a worker holds, free of tasks and clocks: running jobs, and
/// finished ones whose ending the coordinator has not answered yet. Both are
/// heartbeated, so a lease whose ending waits for the coordinator does not lapse.
struct LeaseLedger: Sendable {
    private struct Entry: Sendable {
        let reference: LeaseReference
        let ttl: Duration
        var running = true
    }

    private var entries: [Int64: Entry] = [:]

    /// Starts holding `lease`, whose lifetime is `ttl`.
    mutating func hold(_ lease: LeaseReference, ttl: Duration) {
        entries[lease.jobID] = Entry(reference: lease, ttl: ttl)
    }

    /// Whether the job is held and still running.
    func isRunning(_ jobID: Int64) -> Bool { entries[jobID]?.running == true }

    /// The job stopped running; its ending is on its way to the coordinator.
    mutating func finished(_ jobID: Int64) {
        entries[jobID]?.running = false
    }

    /// The coordinator answered for `lease`'s ending: the lease is gone.
    /// Returns whether it was held (a newer lease of the same job is kept).
    @discardableResult
    mutating func settled(_ lease: LeaseReference) -> Bool {
        guard entries[lease.jobID]?.reference == lease else { return false }
        entries[lease.jobID] = nil
        return true
    }

    /// The coordinator says these leases are no longer ours; returns the jobs
    /// that were held under them, whose work must stop.
    mutating func lost(_ leases: [LeaseReference]) -> [Int64] {
        var gone: [Int64] = []
        for lease in leases where entries[lease.jobID]?.reference == lease {
            entries[lease.jobID] = nil
            gone.append(lease.jobID)
        }
        return gone
    }

    /// Every lease to heartbeat.
    var references: [LeaseReference] { entries.values.map(\.reference) }

    /// The shortest lease lifetime held, which sets the heartbeat pace.
    var shortestTTL: Duration? { entries.values.map(\.ttl).min() }

    /// Jobs still running.
    var running: Int { entries.values.count(where: \.running) }

    /// Leases held, running or awaiting an answer.
    var held: Int { entries.count }

    /// Whether a lease loop keeping `ahead` jobs running or waiting for a
    /// slot must wait before leasing more: it has `ahead` running, or `2 × ahead`
    /// leases held in all (a slow coordinator must not make a worker hoard leases).
    func isFull(ahead: Int) -> Bool {
        running >= ahead || held >= 2 * ahead
    }

    /// How many jobs to ask for now, at most `cap` (the coordinator's per-call limit).
    func wanted(ahead: Int, cap: Int) -> Int {
        max(0, min(ahead - running, 2 * ahead - held, cap))
    }
}
