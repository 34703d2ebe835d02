import Foundation
import Logging
import ServiceLifecycle
import Shared
import SiuoTestSupport
import Testing

@testable import Worker

/// The whole worker loop against a coordinator and a runner in memory: no
/// database, no HTTP, no provider.
@Suite struct WorkerServiceLoopTests {
    private func service(_ fake: FakeCoordinator, _ runner: ScriptedRunner, concurrency: Int = 4, log: RecordedLog = RecordedLog()) -> WorkerService {
        var settings = WorkerSettings(concurrency: concurrency, workerID: "loop-test")
        settings.leaseWait = .milliseconds(20)
        settings.gracePeriod = .milliseconds(200)
        return WorkerService(settings: settings, coordinator: fake, keys: KeyRing(environment: [:]), runner: runner, logger: log.logger)
    }

    @Test func everyLeasedJobEndsInExactlyOneAcceptedReport() async throws {
        let fake = FakeCoordinator(jobs: Array(1...500))
        let worker = Task { try await service(fake, ScriptedRunner()).run() }
        try await waitUntil("all 500 jobs are done") { fake.read(\.done).count == 500 }
        worker.cancel()
        try await worker.value
        #expect(fake.read(\.done).keys.sorted() == Array(1...500))
        #expect(fake.read(\.leased).isEmpty && fake.read(\.released).isEmpty)
        #expect(fake.read { $0.calls["complete"] ?? 0 } < 500, "endings finishing together share a report")
    }

    @Test func aLeaseTheCoordinatorTookBackStopsItsJob() async throws {
        let fake = FakeCoordinator(jobs: [1, 2])
        fake.change { $0.ttlSeconds = 1 }
        let runner = ScriptedRunner(hangs: [2])
        let worker = Task { try await service(fake, runner).run() }
        try await waitUntil("job 1 is done and job 2 leased") { fake.read(\.done).keys.contains(1) && fake.read(\.leased).keys.contains(2) }
        fake.change { $0.leased[2] = nil }  // taken back, as the rescuer does
        try await waitUntil("job 2 is stopped") { runner.cancelled.withLock { $0 } == [2] }
        worker.cancel()
        try await worker.value
        #expect(fake.read(\.released).isEmpty, "the job stopped without reporting for a lease it no longer held")
    }

    @Test func shutdownGivesBackWhatIsStillRunning() async throws {
        let fake = FakeCoordinator(jobs: [1, 2, 3])
        // Jobs that take a while to stop still report their release before the worker ends.
        let runner = ScriptedRunner(hangs: [1, 2, 3], windDown: .milliseconds(300))
        let worker = Task { try await service(fake, runner).run() }
        try await waitUntil("all three jobs are leased") { fake.read(\.leased).count == 3 }
        worker.cancel()
        try await worker.value
        #expect(fake.read(\.released).sorted() == [1, 2, 3])
        #expect(fake.read(\.leased).isEmpty)
    }

    /// The grace period is for jobs already running: a lease still waiting for a run slot when
    /// shutdown begins is given back at once, and never starts when a running job ends and frees
    /// its slot (it once did, and paid for provider calls it then had to abandon).
    @Test func leasesWaitingForASlotAtShutdownAreGivenBackNotStarted() async throws {
        let fake = FakeCoordinator(jobs: [1, 2])
        let runner = GatedRunner()
        var settings = WorkerSettings(concurrency: 1, workerID: "loop-test")
        settings.leaseWait = .milliseconds(20)
        settings.gracePeriod = .seconds(600)
        let service = WorkerService(
            settings: settings, coordinator: fake, keys: KeyRing(environment: [:]), runner: runner, logger: RecordedLog().logger)
        // A graceful shutdown (SIGTERM), not a cancellation, which skips the grace period.
        let group = ServiceGroup(services: [service], logger: RecordedLog().logger)
        let worker = Task { try await group.run() }
        try await waitUntil("job 1 runs and job 2 waits for the slot") { runner.started == [1] && fake.read(\.leased).count == 2 }
        await group.triggerGracefulShutdown()
        try await waitUntil("job 2 is given back while job 1 still runs", limit: .seconds(60)) { fake.read(\.released) == [2] }
        runner.open()
        try await worker.value
        #expect(runner.started == [1])
        #expect(fake.read(\.done).keys.sorted() == [1] && fake.read(\.released) == [2])
    }

    @Test func endingsLeftUnreportedAtShutdownAreEachLoggedAsAWarning() async throws {
        let fake = FakeCoordinator(jobs: [1, 2])
        fake.change { $0.reportStatus = 503 }
        let log = RecordedLog()
        let worker = Task { try await service(fake, ScriptedRunner(), log: log).run() }
        try await waitUntil("a report was tried and every job leased") { fake.read { $0.calls["complete"] ?? 0 } >= 1 && fake.read(\.queued).isEmpty }
        worker.cancel()
        try await worker.value
        let dropped = log.all.filter { $0.level == .warning && $0.message.contains("dropped") }
        #expect(dropped.map { $0.metadata["job"] ?? "" }.sorted() == ["1", "2"])
        #expect(dropped.allSatisfy { $0.metadata["ending"] == "result" })
    }

    @Test func aRefusedTokenStopsTheWorkerWithTheReason() async throws {
        let fake = FakeCoordinator(jobs: [1])
        fake.change { $0.leaseStatus = 401 }
        await #expect(throws: WorkerRefused.self) { try await service(fake, ScriptedRunner()).run() }
        #expect(fake.read { $0.calls["lease"] } == 1, "no retry on a refused token")
    }

    @Test func anUnreachableCoordinatorIsRetriedAndNothingIsLost() async throws {
        let fake = FakeCoordinator(jobs: Array(1...20))
        fake.change { $0.reportStatus = 503 }
        let worker = Task { try await service(fake, ScriptedRunner(), concurrency: 2).run() }
        try await waitUntil("three reports have been tried") { fake.read { $0.calls["complete"] ?? 0 } >= 3 }
        #expect(fake.read(\.done).isEmpty)
        #expect(fake.read(\.leased).count <= 2 * (2 + 1), "endings waiting for the coordinator stop the worker leasing more")
        fake.change { $0.reportStatus = nil }
        try await waitUntil("all 20 jobs are done") { fake.read(\.done).count == 20 }
        worker.cancel()
        try await worker.value
    }
}
