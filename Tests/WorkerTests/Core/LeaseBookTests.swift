import Foundation
import Shared
import Testing

@testable import Worker

/// The book's tasks are tracked by lease: the slow-to-stop task of a lost
/// lease cannot disturb a new lease of the same job.
@Suite struct LeaseBookTests {
    typealias F = CoreFixtures

    static func lease(_ reference: LeaseReference) -> JobLease {
        FakeCoordinator.jobLease(reference)
    }

    static func hanging() -> Task<Void, Never> {
        Task { try? await Task.sleep(for: .seconds(3600)) }
    }

    @Test func aLostLeasesLateFinishLeavesTheNewLeaseRunningAndStoppable() async {
        let book = LeaseBook()
        let old = F.lease(1, token: 1)
        let new = F.lease(1, token: 2)
        await book.hold(Self.lease(old), ttl: .seconds(60))
        let oldTask = Self.hanging()
        await book.attach(oldTask, to: old)
        await book.lost([old])
        #expect(oldTask.isCancelled)

        await book.hold(Self.lease(new), ttl: .seconds(60))
        let newTask = Self.hanging()
        await book.attach(newTask, to: new)
        // The old task stops only now.
        await book.finished(old)
        #expect(await book.running == 1)
        await book.settled(old)
        #expect(await book.references == [new])
        await book.lost([new])
        #expect(newTask.isCancelled, "the new lease's task was still known, so losing it stops it")
    }
}
