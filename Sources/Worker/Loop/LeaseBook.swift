import Foundation
import Shared

/// The leases this worker holds: running jobs, and finished ones whose
/// result the coordinator has not yet answered. All of them are heartbeated,
/// so a lease whose result is waiting for a reachable coordinator does not lapse.
public actor LeaseBook {
    private struct Entry {
        let reference: LeaseReference
        let ttl: Duration
        var task: Task<Void, Never>?
        var running = true
    }

    private var entries: [Int64: Entry] = [:]
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []

    /// An empty book.
    public init() {}

    /// Starts holding `lease`, whose lifetime is `ttl` from now.
    public func hold(_ lease: JobLease, ttl: Duration) {
        entries[lease.jobID] = Entry(reference: lease.reference, ttl: ttl)
    }

    /// Remembers the task running a held job, so a lost lease can stop it.
    public func attach(_ task: Task<Void, Never>, to jobID: Int64) {
        guard entries[jobID]?.running == true else { return }
        entries[jobID]?.task = task
    }

    /// The job stopped running; its ending is on its way to the coordinator.
    public func finished(_ jobID: Int64) {
        entries[jobID]?.running = false
        entries[jobID]?.task = nil
        wakeSlotWaiters()
    }

    /// The coordinator answered for the lease's ending: the lease is gone
    /// (a newer lease of the same job stays).
    public func settled(_ lease: LeaseReference) {
        guard entries[lease.jobID]?.reference == lease else { return }
        entries[lease.jobID] = nil
        wakeSlotWaiters()
    }

    /// The coordinator says these leases are no longer ours: stop their work.
    public func lost(_ leases: [LeaseReference]) {
        for lease in leases where entries[lease.jobID]?.reference == lease {
            entries[lease.jobID]?.task?.cancel()
            entries[lease.jobID] = nil
        }
        wakeSlotWaiters()
    }

    /// Cancels every running job (end of the grace period at shutdown).
    public func cancelRunning() {
        for entry in entries.values { entry.task?.cancel() }
    }

    /// Every lease to heartbeat.
    public var references: [LeaseReference] { entries.values.map(\.reference) }

    /// The shortest lease lifetime held, which sets the heartbeat pace.
    public var shortestTTL: Duration? { entries.values.map(\.ttl).min() }

    /// Jobs still running.
    public var running: Int { entries.values.filter(\.running).count }

    /// Leases held, running or awaiting an answer.
    public var held: Int { entries.count }

    /// Returns when a job stops running or a lease goes (at once if `running < limit`), or on cancellation.
    /// Leases awaiting the coordinator's answer count too, beyond `limit`
    /// of them, so a slow coordinator cannot make the worker hoard leases.
    public func waitForSlot(below limit: Int) async {
        guard running >= limit || entries.count >= 2 * limit, !Task.isCancelled else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { slotWaiters.append($0) }
        } onCancel: {
            Task { await self.wakeSlotWaiters() }
        }
    }

    private func wakeSlotWaiters() {
        let waiters = slotWaiters
        slotWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}
