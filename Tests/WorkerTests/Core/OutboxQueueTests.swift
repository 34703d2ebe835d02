import Shared
import Testing

@testable import Worker

@Suite struct OutboxQueueTests {
    typealias F = CoreFixtures

    @Test func batchesAreOldestFirstAndCappedByCount() {
        var queue = OutboxQueue()
        for id in 1...450 { queue.add(F.result(Int64(id))) }
        let batch = queue.nextBatch()
        #expect(batch.count == OutboxQueue.batchSize)
        #expect(batch.map(\.jobID) == Array(1...200).map(Int64.init))
    }

    @Test func everyUnansweredEndingIsListedOldestFirst() {
        var queue = OutboxQueue()
        for id in 1...4 { queue.add(F.result(Int64(id))) }
        queue.add(F.release(2))
        _ = queue.settle([ItemAnswer(jobID: 3, status: .accepted)], sent: [F.result(3)])
        #expect(queue.all == [F.result(1), F.release(2), F.result(4)])
        #expect(queue.all.map(\.kindName) == ["result", "release", "result"])
    }

    @Test func batchesAreCappedBySizeButNeverEmpty() {
        var queue = OutboxQueue()
        let large = String(repeating: "x", count: 3 << 20)
        queue.add(F.result(1, text: large))
        queue.add(F.result(2, text: large))
        queue.add(F.result(3))
        #expect(queue.nextBatch().map(\.jobID) == [1], "two 3 MiB answers exceed one request")
        var single = OutboxQueue()
        single.add(F.result(9, text: String(repeating: "y", count: 5 << 20)))
        #expect(single.nextBatch().map(\.jobID) == [9], "an ending larger than the cap still goes, alone")
    }

    @Test func aNewerEndingOfTheSameLeaseReplacesTheOlderInPlace() {
        var queue = OutboxQueue()
        queue.add(F.result(1, token: 7))
        queue.add(F.result(2))
        queue.add(F.failure(1, token: 7))
        #expect(queue.count == 2)
        #expect(queue.nextBatch() == [F.failure(1, token: 7), F.result(2)])
    }

    @Test func aLostLeasesLateReleaseNeverReplacesTheNewLeasesEnding() {
        var queue = OutboxQueue()
        queue.add(F.result(1, token: 2))
        // The task of the lost lease 1/1 stops only now, after the job was leased again and finished.
        queue.add(F.release(1, token: 1))
        queue.add(F.result(3))
        #expect(queue.count == 3)
        let first = queue.nextBatch()
        #expect(first == [F.result(1, token: 2), F.result(3)], "one ending per job in a request")
        _ = queue.settle([ItemAnswer(jobID: 1, status: .accepted), ItemAnswer(jobID: 3, status: .accepted)], sent: first)
        #expect(queue.nextBatch() == [F.release(1, token: 1)])
    }

    @Test func anAnswerSettlesOnlyTheEndingItWasAbout() {
        var queue = OutboxQueue()
        let sent = [F.result(1), F.result(2), F.result(3)]
        for ending in sent { queue.add(ending) }
        // Job 2 was leased again meanwhile, and its new ending is pending.
        queue.add(F.result(2, token: 9))
        let settled = queue.settle(
            [
                ItemAnswer(jobID: 1, status: .accepted), ItemAnswer(jobID: 2, status: .stale),
                ItemAnswer(jobID: 99, status: .accepted),
            ], sent: sent)
        #expect(settled.map { $0.ending } == [F.result(1), F.result(2)])
        #expect(settled.map { $0.status } == [.accepted, .stale])
        #expect(
            queue.nextBatch() == [F.result(3), F.result(2, token: 9)],
            "an answer naming another job settles nothing, and one about an old lease leaves the new one pending")
    }

    @Test func staleAnswersSettleAndSayStale() {
        var queue = OutboxQueue()
        queue.add(F.release(4))
        let settled = queue.settle([ItemAnswer(jobID: 4, status: .stale)], sent: [F.release(4)])
        #expect(settled.count == 1 && settled[0].status == .stale)
        #expect(queue.isEmpty)
    }

    @Test func stillPendingLeavesOutWhatAnEarlierCallSettled() {
        var queue = OutboxQueue()
        let batch = [F.result(1), F.failure(2), F.release(3)]
        for ending in batch { queue.add(ending) }
        _ = queue.settle([ItemAnswer(jobID: 1, status: .accepted)], sent: [F.result(1)])
        #expect(queue.stillPending(batch) == [F.failure(2), F.release(3)])
    }

    @Test func halvingARefusedBatchFindsTheOneAtFault() {
        // The splitting rule, played out: only the halves holding the bad ending are refused.
        let batch = (1...13).map { F.result(Int64($0)) }
        let bad = F.result(11)
        var refused: [[JobEnding]] = []
        var delivered: [JobEnding] = []
        var dropped: [JobEnding] = []
        func deliver(_ part: [JobEnding]) {
            guard part.contains(bad) else { return delivered += part }
            refused.append(part)
            guard part.count > 1 else { return dropped.append(part[0]) }
            let (first, second) = RequestSplitting.halves(part)
            deliver(first)
            deliver(second)
        }
        deliver(batch)
        #expect(dropped == [bad])
        #expect(delivered.count == 12 && !delivered.contains(bad))
        #expect(refused.map(\.count) == [13, 7, 4, 2, 1], "log2 splits, not one request per ending")
    }

    @Test func dropForgetsOnlyThatEnding() {
        var queue = OutboxQueue()
        queue.add(F.result(1))
        queue.add(F.result(2))
        let dropped = queue.drop(F.result(1))
        let droppedOther = queue.drop(F.result(2, token: 3))
        #expect(dropped)
        #expect(!droppedOther, "another lease of job 2 is not the one pending")
        #expect(queue.nextBatch() == [F.result(2)])
    }

    @Test func endingsGoToTheirRoutesInOrder() {
        let routes = JobEnding.byRoute([F.result(1), F.failure(2), F.release(3), F.result(4), F.release(5)])
        #expect(routes.results.map { $0.lease.jobID } == [1, 4])
        #expect(routes.failures.map { $0.lease.jobID } == [2])
        #expect(routes.releases.map { $0.jobID } == [3, 5])
    }
}
