import Shared
import Testing

@testable import Worker

@Suite struct LeaseLedgerTests {
    typealias F = CoreFixtures

    @Test func finishedLeasesStayHeldAndHeartbeatedUntilSettled() {
        var ledger = LeaseLedger()
        ledger.hold(F.lease(1), ttl: .seconds(60))
        ledger.hold(F.lease(2), ttl: .seconds(30))
        ledger.finished(F.lease(1))
        #expect(ledger.running == 1 && ledger.held == 2)
        #expect(Set(ledger.references) == [F.lease(1), F.lease(2)])
        #expect(ledger.shortestTTL == .seconds(30))
        let settled = ledger.settled(F.lease(1))
        #expect(settled)
        #expect(ledger.held == 1 && ledger.references == [F.lease(2)])
    }

    @Test func aSettlementOfAnOlderLeaseKeepsTheNewerOne() {
        var ledger = LeaseLedger()
        ledger.hold(F.lease(1, token: 2), ttl: .seconds(60))
        let settledOlder = ledger.settled(F.lease(1, token: 1))
        #expect(!settledOlder)
        #expect(ledger.held == 1 && ledger.isRunning(F.lease(1, token: 2)))
    }

    @Test func aLostLeasesLateEndingLeavesTheJobsNewLeaseAlone() {
        var ledger = LeaseLedger()
        ledger.hold(F.lease(1, token: 1), ttl: .seconds(60))
        let lost = ledger.lost([F.lease(1, token: 1)])
        #expect(lost == [F.lease(1, token: 1)])
        // The job is leased here again while the old lease's task is still stopping.
        ledger.hold(F.lease(1, token: 2), ttl: .seconds(60))
        ledger.finished(F.lease(1, token: 1))
        #expect(ledger.isRunning(F.lease(1, token: 2)) && ledger.running == 1)
        let settledOld = ledger.settled(F.lease(1, token: 1))
        #expect(!settledOld)
        #expect(ledger.references == [F.lease(1, token: 2)])
    }

    @Test func twoLeasesOfOneJobAreHeldApartUntilTheOldOneIsFoundLost() {
        var ledger = LeaseLedger()
        ledger.hold(F.lease(1, token: 1), ttl: .seconds(60))
        ledger.hold(F.lease(1, token: 2), ttl: .seconds(60))
        #expect(Set(ledger.references) == [F.lease(1, token: 1), F.lease(1, token: 2)], "both are heartbeated")
        let lost = ledger.lost([F.lease(1, token: 1)])
        #expect(lost == [F.lease(1, token: 1)], "the old one's task is stopped")
        #expect(ledger.isRunning(F.lease(1, token: 2)))
    }

    @Test func lostLeasesNameTheJobsToStop() {
        var ledger = LeaseLedger()
        ledger.hold(F.lease(1), ttl: .seconds(60))
        ledger.hold(F.lease(2, token: 5), ttl: .seconds(60))
        let gone = ledger.lost([F.lease(1), F.lease(2, token: 4), F.lease(3)])
        #expect(gone == [F.lease(1)], "only a lease held under the same token is lost")
        #expect(ledger.references == [F.lease(2, token: 5)])
    }

    @Test func leasingAheadIsBoundedByRunningAndByHeld() {
        var ledger = LeaseLedger()
        #expect(ledger.wanted(ahead: 10, cap: 1000) == 10)
        #expect(ledger.wanted(ahead: 10, cap: 4) == 4)
        for id in 1...6 { ledger.hold(F.lease(Int64(id)), ttl: .seconds(60)) }
        #expect(ledger.wanted(ahead: 10, cap: 1000) == 4)
        #expect(!ledger.isFull(ahead: 10))
        // Six finish, but the coordinator has not answered for them.
        for id in 1...6 { ledger.finished(F.lease(Int64(id))) }
        for id in 7...16 { ledger.hold(F.lease(Int64(id)), ttl: .seconds(60)) }
        #expect(ledger.running == 10 && ledger.held == 16)
        #expect(ledger.isFull(ahead: 10))
        #expect(ledger.wanted(ahead: 10, cap: 1000) == 0)
        // Endings that wait for an absent coordinator stop the worker hoarding leases.
        for id in 7...16 { ledger.finished(F.lease(Int64(id))) }
        #expect(ledger.running == 0 && ledger.wanted(ahead: 10, cap: 1000) == 4)
        for id in 17...20 {
            ledger.hold(F.lease(Int64(id)), ttl: .seconds(60))
            ledger.finished(F.lease(Int64(id)))
        }
        #expect(ledger.held == 20 && ledger.isFull(ahead: 10) && ledger.wanted(ahead: 10, cap: 1000) == 0)
    }
}
