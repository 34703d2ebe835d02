import Shared
import Testing

@testable import Worker

@Suite struct PermitQueueTests {
    typealias F = CoreFixtures
    let start = ContinuousClock.now

    @Test func oneRequestPerEndpointForAllItsWaiters() {
        var queue = PermitQueue()
        #expect(queue.isEmpty && queue.nextAsk(now: start) == nil)
        queue.enqueue(1, for: F.endpointA)
        queue.enqueue(2, for: F.endpointA)
        queue.enqueue(3, for: F.endpointB)
        #expect(queue.nextAsk(now: start) == start)
        #expect(queue.due(now: start) == [PermitRequest(endpoint: F.endpointB, count: 1), PermitRequest(endpoint: F.endpointA, count: 2)])
    }

    @Test func aPartialGrantServesTheFirstInLineAndTheRestWaitTheNamedDelay() {
        var queue = PermitQueue()
        for id in 1...3 { queue.enqueue(UInt64(id), for: F.endpointA) }
        let served = queue.apply(PermitGrant(granted: 1, retryAfterMilliseconds: 400), for: F.endpointA, now: start)
        #expect(served == [1])
        #expect(queue.due(now: start + .milliseconds(399)).isEmpty)
        #expect(queue.nextAsk(now: start) == start + .milliseconds(400))
        #expect(queue.due(now: start + .milliseconds(400)) == [PermitRequest(endpoint: F.endpointA, count: 2)])
    }

    @Test func delaysHaveAFloorAndADefault() {
        var queue = PermitQueue()
        for id in 1...4 { queue.enqueue(UInt64(id), for: F.endpointA) }
        _ = queue.apply(PermitGrant(granted: 0, retryAfterMilliseconds: 1), for: F.endpointA, now: start)
        #expect(queue.nextAsk(now: start) == start + PermitQueue.minimumPause)
        _ = queue.apply(PermitGrant(granted: 0, retryAfterMilliseconds: nil), for: F.endpointA, now: start)
        #expect(queue.nextAsk(now: start) == start + PermitQueue.defaultPause)
    }

    @Test func aFullGrantLeavesNoDelayAndAnOverGrantServesOnlyTheLine() {
        var queue = PermitQueue()
        queue.enqueue(1, for: F.endpointA)
        let served = queue.apply(PermitGrant(granted: 5, retryAfterMilliseconds: 9000), for: F.endpointA, now: start)
        #expect(served == [1])
        #expect(queue.isEmpty)
        queue.enqueue(2, for: F.endpointA)
        #expect(queue.due(now: start) == [PermitRequest(endpoint: F.endpointA, count: 1)], "a served line leaves no wait behind")
    }

    @Test func aFailedAskWaitsBeforeAskingAgain() {
        var queue = PermitQueue()
        queue.enqueue(1, for: F.endpointA)
        queue.enqueue(2, for: F.endpointB)
        queue.failed([PermitRequest(endpoint: F.endpointA, count: 1)], now: start)
        #expect(queue.due(now: start) == [PermitRequest(endpoint: F.endpointB, count: 1)])
        #expect(queue.due(now: start + PermitQueue.failurePause).count == 2)
    }

    @Test func anAbandonedWaiterIsNotCountedOrServed() {
        var queue = PermitQueue()
        for id in 1...3 { queue.enqueue(UInt64(id), for: F.endpointA) }
        let abandoned = queue.abandon(2, for: F.endpointA)
        let again = queue.abandon(2, for: F.endpointA)
        let elsewhere = queue.abandon(1, for: F.endpointB)
        #expect(abandoned && !again && !elsewhere)
        #expect(queue.due(now: start) == [PermitRequest(endpoint: F.endpointA, count: 2)])
        let served = queue.apply(PermitGrant(granted: 2, retryAfterMilliseconds: nil), for: F.endpointA, now: start)
        #expect(served == [1, 3])
    }
}
