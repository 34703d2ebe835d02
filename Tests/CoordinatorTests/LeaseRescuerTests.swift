import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The rescuer's one pass, called directly as its loop calls it.
@Suite struct LeaseRescuerTests {
    @Test func onePassRequeuesExpiredLeasesOnlyAndWakesWaitingLeaseRequests() async throws {
        let pool = try await TestDatabase.pool(suite: "rescuer_pass")
        try await SweepFixture.importDataset(pool, cases: 3)
        // An hour's leases: only the one the test expires can lapse, however late the test looks.
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], leaseTTLSeconds: 3600)
        try await SweepStore(pool: pool).submit(definition)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 3)
        let leases = try await JobStore(pool: pool).claim(request)
        #expect(leases.count == 3)
        let signal = WorkSignal()
        let rescuer = LeaseRescuer(pool: pool, signal: signal)
        #expect(try await rescuer.runOnce() == 0, "no lease has expired yet")

        let expired = leases[0].jobID
        // The mark is taken before the pass, so the waiter sees its notification however late its task starts.
        let mark = signal.mark
        let woken = Task {
            let start = ContinuousClock.now
            await signal.wait(after: mark, upTo: .seconds(600))
            return ContinuousClock.now - start
        }
        try await pool.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1", [expired])
        #expect(try await rescuer.runOnce() == 1)
        #expect(await woken.value < .seconds(300), "a rescued job wakes lease requests instead of waiting for their poll")
        let rows = try await pool.query("SELECT id, state, attempts FROM jobs ORDER BY id")
        for row in rows {
            let id = try row.decode(Int64.self, "id")
            #expect(try row.decode(String.self, "state") == (id == expired ? "queued" : "leased"))
        }
        #expect(try await rescuer.runOnce() == 0, "a second pass finds nothing")
    }
}
