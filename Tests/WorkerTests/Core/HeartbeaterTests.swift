import Foundation
import Logging
import Shared
import Testing

@testable import Worker

/// A heartbeat against the in-memory coordinator.
@Suite struct HeartbeaterTests {
    @Test func leasesFoundLostAreDroppedEvenWhenALaterCallFails() async throws {
        // The coordinator leased none of these: every one it answers for is stale.
        let coordinator = FakeCoordinator()
        coordinator.change { $0.heartbeatsBeforeFailing = 1 }
        let book = LeaseBook()
        let count = HeartbeatPlan.leasesPerCall + 1
        for jobID in 1...Int64(count) {
            await book.hold(FakeCoordinator.jobLease(LeaseReference(jobID: jobID, leaseToken: UUID())), ttl: .seconds(60))
        }
        let heartbeater = Heartbeater(coordinator: coordinator, book: book, logger: Logger(label: "test"))
        await #expect(throws: CoordinatorClientError.self) { try await heartbeater.runOnce() }
        #expect(await book.held == count - HeartbeatPlan.leasesPerCall)
    }
}
