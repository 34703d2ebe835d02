import Shared

/// The leases a worker holds, free of tasks and clocks: running jobs, and
/// finished ones whose ending the coordinator has not answered yet. Both are
/// heartbeated, so a lease whose ending waits for the coordinator does not lapse.
///
/// Leases are told apart by their token, not only their job: a job whose
/// lease was lost may be leased to this worker again while the task of the
/// lost lease is still stopping, and that task must not touch the new lease.
struct LeaseLedger: Sendable {
    private struct Entry: Sendable {
        let ttl: Duration
        var running = true
    }

    private var entries: [LeaseReference: Entry] = [:]

    /// Starts holding `lease`, whose lifetime is `ttl`.
    mutating func hold(_ lease: LeaseReference, ttl: Duration) {
        entries[lease] = Entry(ttl: ttl)
    }

    /// Whether `lease` is held and its job still running.
    func isRunning(_ lease: LeaseReference) -> Bool { entries[lease]?.running == true }

    /// The job of `lease` stopped running; its ending is on its way to the coordinator.
    mutating func finished(_ lease: LeaseReference) {
        entries[lease]?.running = false
    }

    /// The coordinator answered for `lease`'s ending: the lease is gone.
    /// Returns whether it was held (another lease of the same job is kept).
    @discardableResult
    mutating func settled(_ lease: LeaseReference) -> Bool {
        entries.removeValue(forKey: lease) != nil
    }

    /// The coordinator says these leases are no longer ours; returns those
    /// that were held, whose work must stop.
    mutating func lost(_ leases: [LeaseReference]) -> [LeaseReference] {
        leases.filter { entries.removeValue(forKey: $0) != nil }
    }

    /// Every lease to heartbeat.
    var references: [LeaseReference] { Array(entries.keys) }

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
