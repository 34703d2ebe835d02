import SiuoTestSupport
import Testing

@testable import Worker

@Suite struct SlotCounterTests {
    @Test func slotsGoFirstComeFirstServed() {
        var slots = SlotCounter(limit: 2)
        let taken = [slots.acquire(1), slots.acquire(2), slots.acquire(3), slots.acquire(4)]
        #expect(taken == [true, true, false, false])
        #expect(slots.available == 0 && slots.waiting == 2)
        let handedTo = [slots.release(), slots.release(), slots.release()]
        #expect(handedTo == [3, 4, nil])
        #expect(slots.available == 1)
    }

    @Test func anAbandonedWaiterIsSkipped() {
        var slots = SlotCounter(limit: 1)
        let taken = [slots.acquire(1), slots.acquire(2), slots.acquire(3)]
        #expect(taken == [true, false, false])
        let abandoned = [slots.abandon(2), slots.abandon(2)]
        #expect(abandoned == [true, false])
        let handedTo = [slots.release(), slots.release()]
        #expect(handedTo == [3, nil])
        #expect(slots.available == 1 && slots.waiting == 0)
    }

    @Test func droppedWaitersLeaveTheLineAndSlotsStillComeBack() {
        var slots = SlotCounter(limit: 1)
        let taken = [slots.acquire(1), slots.acquire(2), slots.acquire(3)]
        #expect(taken == [true, false, false])
        #expect(slots.dropWaiters() == [2, 3] && slots.waiting == 0)
        #expect(slots.release() == nil && slots.available == 1)
    }

    /// At shutdown a lease waiting for a slot is released, not started in the grace period.
    @Test func closedSlotsTellWaitersAndLatecomersToStop() async throws {
        let slots = RunSlots(limit: 1)
        try await slots.acquire()
        let waiter = Task { try await slots.acquire() }
        try await waitUntil("the second lease waits") { await slots.waiting == 1 }
        await slots.close()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await #expect(throws: CancellationError.self) { try await slots.acquire() }
    }
}
