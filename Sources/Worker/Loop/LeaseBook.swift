import Foundation
import Shared

/// The leases this worker holds (a `LeaseLedger`), the tasks running their
/// jobs, and the lease loop waiting for room to lease more.
public actor LeaseBook {
    private var ledger = LeaseLedger()
    /// By lease, not job: a lost lease's task may still be stopping when its job is leased here again.
    private var tasks: [LeaseReference: Task<Void, Never>] = [:]
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []

    /// An empty book.
    public init() {}

    /// Starts holding `lease`, whose lifetime is `ttl` from now.
    public func hold(_ lease: JobLease, ttl: Duration) {
        ledger.hold(lease.reference, ttl: ttl)
    }

    /// Remembers the task running the job of a held lease, so losing the lease can stop it.
    public func attach(_ task: Task<Void, Never>, to lease: LeaseReference) {
        guard ledger.isRunning(lease) else { return }
        tasks[lease] = task
    }

    /// The job of `lease` stopped running; its ending is on its way to the coordinator.
    public func finished(_ lease: LeaseReference) {
        ledger.finished(lease)
        tasks[lease] = nil
        wakeSlotWaiters()
    }

    /// The coordinator answered for the lease's ending: the lease is gone
    /// (another lease of the same job stays).
    public func settled(_ lease: LeaseReference) {
        guard ledger.settled(lease) else { return }
        tasks[lease] = nil
        wakeSlotWaiters()
    }

    /// The coordinator says these leases are no longer ours: stop their work.
    public func lost(_ leases: [LeaseReference]) {
        for lease in ledger.lost(leases) {
            tasks.removeValue(forKey: lease)?.cancel()
        }
        wakeSlotWaiters()
    }

    /// Cancels every running job (end of the grace period at shutdown) and
    /// returns their tasks, whose ends (each reports its release) the caller
    /// awaits.
    @discardableResult
    public func cancelRunning() -> [Task<Void, Never>] {
        let running = Array(tasks.values)
        for task in running { task.cancel() }
        return running
    }

    /// Every lease to heartbeat.
    public var references: [LeaseReference] { ledger.references }

    /// The shortest lease lifetime held, which sets the heartbeat pace.
    public var shortestTTL: Duration? { ledger.shortestTTL }

    /// Jobs still running.
    public var running: Int { ledger.running }

    /// Leases held, running or awaiting an answer.
    public var held: Int { ledger.held }

    /// How many jobs the lease loop should ask for now (see `LeaseLedger.wanted`).
    public func wanted(ahead: Int, cap: Int) -> Int { ledger.wanted(ahead: ahead, cap: cap) }

    /// Returns at once while there is room to lease (see `LeaseLedger.isFull`);
    /// otherwise when a job stops running or a lease goes, or on cancellation.
    public func waitForRoom(ahead: Int) async {
        guard ledger.isFull(ahead: ahead), !Task.isCancelled else { return }
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
