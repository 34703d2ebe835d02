import Shared
import Testing

@testable import Worker

@Suite struct HeartbeatPlanTests {
    typealias F = CoreFixtures

    @Test func theBeatIsAQuarterOfTheShortestLeaseWithAFloor() {
        #expect(HeartbeatPlan.pace(shortestTTL: .seconds(60)) == .seconds(15))
        #expect(HeartbeatPlan.pace(shortestTTL: .milliseconds(300)) == HeartbeatPlan.fastestPace)
        #expect(HeartbeatPlan.pace(shortestTTL: nil) == HeartbeatPlan.idlePace)
    }

    @Test func aLeaseSurvivesTwoMissedBeats() {
        for ttl in [Duration.seconds(1), .seconds(30), .seconds(60), .seconds(600)] {
            // The lease is extended when beat 0 starts; beats 1 and 2 fail, however long they take.
            let extended = ContinuousClock.now
            var start = extended
            for _ in 1...3 { start = HeartbeatPlan.nextBeat(startedAt: start, shortestTTL: ttl) }
            // The third beat starts with a quarter of the lease left for the call.
            #expect(start - extended == ttl * 3 / 4, "ttl \(ttl)")
            #expect(start < extended + ttl)
        }
    }

    @Test func leasesAreSplitIntoCallsOfAThousand() {
        let leases = (1...2345).map { F.lease(Int64($0)) }
        let calls = HeartbeatPlan.calls(leases)
        #expect(calls.map(\.count) == [1000, 1000, 345])
        #expect(calls.flatMap { $0 } == leases)
        #expect(HeartbeatPlan.calls([]).isEmpty)
    }

    @Test func onlyAStaleAnswerAboutTheSameJobLosesALease() {
        let sent = [F.lease(1), F.lease(2), F.lease(3)]
        let answers = [ItemAnswer(jobID: 1, status: .stale), ItemAnswer(jobID: 2, status: .accepted), ItemAnswer(jobID: 4, status: .stale)]
        #expect(HeartbeatPlan.lost(sent: sent, answers: answers) == [F.lease(1)])
        #expect(
            HeartbeatPlan.lost(sent: sent, answers: [ItemAnswer(jobID: 1, status: .stale)]) == [F.lease(1)],
            "a short answer list loses no other lease")
    }
}
