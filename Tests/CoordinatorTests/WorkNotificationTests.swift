import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Synchronization
import Testing

/// LISTEN/NOTIFY wake-ups between coordinators on one database
/// (docs/architecture.md, "Lease").
@Suite struct WorkNotificationTests {
    /// Waiting lease requests re-check only at the end of their 600 s wait
    /// here: one that returns well before that was woken by a notification.
    static let slowRecheck = LeaseWaitTiming(listening: .seconds(1200), unheard: .seconds(1200), longest: .seconds(600))
    /// A lease request waiting as long as the coordinator allows.
    static func longPoll(_ definition: SweepDefinition) -> LeaseRequest {
        LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 10, waitMilliseconds: 600_000)
    }

    @Test func aSubmitOnOneCoordinatorWakesALeaseWaitingOnAnother() async throws {
        let poolA = try await TestDatabase.pool(suite: "notify_two_coordinators")
        let poolB = PostgresPool(url: poolA.url, size: 4)
        try await SweepFixture.importDataset(poolA, cases: 2)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        try await TestCoordinator.with(pool: poolA, leaseWait: Self.slowRecheck, listening: true) { urlA, apiA in
            try await TestCoordinator.with(pool: poolB, leaseWait: Self.slowRecheck, listening: true) { urlB, apiB in
                try await waitUntil("both listeners listen") { apiA.signal.hearsOtherReplicas && apiB.signal.hearsOtherReplicas }
                let page = try await TestHTTP.send(urlB + "/metrics")
                #expect(page.text.contains("\nsiuo_work_listener_up 1"), "the listener's state is a metric")
                let lease = Task { try await TestCoordinator.worker(urlB).lease(Self.longPoll(definition)) }
                try await waitUntil("the lease request waits on B") { apiB.signal.waiting > 0 }
                _ = try await TestCoordinator.admin(urlA).submit(definition, replace: false)
                let submitted = ContinuousClock.now
                #expect(try await lease.value.count == 2)
                #expect(ContinuousClock.now - submitted < .seconds(300), "woken by A's notification, not by the end of B's 600 s wait")
            }
        }
    }

    @Test func theListenerReconnectsAfterItsSessionIsEnded() async throws {
        let poolA = try await TestDatabase.pool(suite: "notify_reconnect")
        let poolB = PostgresPool(url: poolA.url, size: 4)
        try await SweepFixture.importDataset(poolA, cases: 2)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        try await SweepStore(pool: poolA).submit(definition)
        let request = Self.longPoll(definition)
        let held = try await JobStore(pool: poolA).claim(request)
        #expect(held.count == 2)

        let apiB = CoordinatorAPI(
            pool: poolB, tokens: try TestCoordinator.tokens(), latestMigration: try Migrator(pool: poolB).latestVersion,
            leaseWait: Self.slowRecheck)
        let listener = JobNotificationListener(
            url: poolB.url, settings: poolB.settings, signal: apiB.signal,
            backoff: .init(initial: .milliseconds(50), maximum: .milliseconds(500)))
        let listening = Task { try await listener.run() }
        defer { listening.cancel() }
        try await waitUntil("B listens") { listener.backendPID != nil && apiB.signal.hearsOtherReplicas }
        let first = try #require(listener.backendPID)

        // An administrator (or a failover) ends the listening session.
        try await poolA.query("SELECT pg_terminate_backend($1)", [Int(first)])
        try await waitUntil("B listens again on a new session") {
            listener.sessions >= 2 && listener.backendPID.map { $0 != first } == true && apiB.signal.hearsOtherReplicas
        }

        try await LoopbackServer.with(apiB) { urlB in
            let lease = Task { try await TestCoordinator.worker(urlB).lease(request) }
            try await waitUntil("the lease request waits on B") { apiB.signal.waiting > 0 }
            // Another replica gives a lease back.
            #expect(try await JobStore(pool: poolA).release([held[0].reference]) == [.accepted])
            let released = ContinuousClock.now
            #expect(try await lease.value.map(\.jobID) == [held[0].jobID])
            #expect(ContinuousClock.now - released < .seconds(300), "woken by the notification, not by the end of the 600 s wait")
        }
    }

    @Test func everyWayWorkBecomesRunnableNotifiesAtCommit() async throws {
        let pool = try await TestDatabase.pool(suite: "notify_paths")
        try await SweepFixture.importDataset(pool, cases: 2)
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        let heard = Counter()
        let listener = PostgresListenConnection(url: pool.url)
        let listening = Task {
            try await listener.listen(channel: JobNotificationListener.channel, onListening: { _ in heard.add() }) { heard.add() }
        }
        defer { listening.cancel() }
        try await waitUntil("the listener listens") { heard.value > 0 }

        func expectNotification(_ what: String, _ action: () async throws -> Void) async throws {
            let before = heard.value
            try await action()
            try await waitUntil("\(what) notifies") { heard.value > before }
        }
        let sweeps = SweepStore(pool: pool)
        let jobs = JobStore(pool: pool)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 10)
        try await expectNotification("a submit") { _ = try await sweeps.submit(definition) }
        let leases = try await jobs.claim(request)
        #expect(leases.count == 2)
        try await expectNotification("a release") { _ = try await jobs.release([leases[0].reference]) }
        try await pool.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1", [leases[1].jobID])
        try await expectNotification("the rescuer's requeue") {
            let rescued = try await jobs.rescueExpiredLeases()
            #expect(rescued == 1)
        }
        try await sweeps.apply(.pause, to: definition.name)
        try await expectNotification("a resume") { try await sweeps.apply(.resume, to: definition.name) }
        try await pool.query("UPDATE jobs SET state = 'failed', finished_at = now()")
        try await expectNotification("a retry of failed jobs") {
            let retried = try await sweeps.retryFailed(definition.name)
            #expect(retried == 2)
        }
    }

    @Test func aNotificationBetweenTheLookAndTheWaitIsNotMissed() async throws {
        let signal = WorkSignal()
        let mark = signal.mark
        signal.notify()
        let started = ContinuousClock.now
        await signal.wait(after: mark, upTo: .seconds(600))
        #expect(ContinuousClock.now - started < .seconds(300))

        // A cancelled waiter returns at once too.
        let waiter = Task { await signal.wait(upTo: .seconds(600)) }
        try await waitUntil("the waiter waits") { signal.waiting == 1 }
        let cancelled = ContinuousClock.now
        waiter.cancel()
        await waiter.value
        #expect(ContinuousClock.now - cancelled < .seconds(300))
        #expect(signal.waiting == 0)
    }
}

/// A count shared with callbacks on other threads.
private final class Counter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func add() { count.withLock { $0 += 1 } }
}
