import Foundation
import Synchronization

/// Whether the last batch-lane claim found jobs, so lease requests on a
/// coordinator whose sweeps are all live skip that claim: after one that
/// found none, the next look is `lifetime` later (also the longest a newly
/// queued batch-lane job waits to be seen by this coordinator).
final class BatchLaneHint: Sendable {
    private let last = Mutex<(found: Bool, at: ContinuousClock.Instant)?>(nil)
    let lifetime: Duration

    init(lifetime: Duration = .seconds(1)) {
        self.lifetime = lifetime
    }

    /// Whether a claim should look for batch-lane jobs now.
    func shouldLook() -> Bool {
        guard let last = last.withLock({ $0 }) else { return true }
        return last.found || ContinuousClock.now - last.at >= lifetime
    }

    /// What the last look found.
    func record(found: Bool) {
        last.withLock { $0 = (found, ContinuousClock.now) }
    }
}
