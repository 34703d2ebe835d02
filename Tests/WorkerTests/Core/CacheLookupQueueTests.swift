import Shared
import Testing

@testable import Worker

@Suite struct CacheLookupQueueTests {
    @Test func callersShareOneLookupOfTheirDistinctKeys() {
        var queue = CacheLookupQueue<Int>()
        queue.add(["b", "a"], 1)
        queue.add(["a", "c"], 2)
        let (keys, waiters) = queue.nextLookup()
        #expect(keys == ["a", "b", "c"])
        #expect(waiters.map { $0.waiter } == [1, 2])
        #expect(queue.isEmpty)
    }

    @Test func aLookupStopsAtTheKeyLimitButNeverLeavesACallerBehindForever() {
        var queue = CacheLookupQueue<Int>()
        let limit = CacheLookupQueue<Int>.keysPerLookup
        queue.add((0..<(limit - 10)).map { "k\($0)" }, 1)
        queue.add((0..<20).map { "m\($0)" }, 2)
        queue.add(["z"], 3)
        let first = queue.nextLookup()
        let second = queue.nextLookup()
        #expect(first.waiters.map { $0.waiter } == [1])
        #expect(second.waiters.map { $0.waiter } == [2, 3])
        var huge = CacheLookupQueue<Int>()
        huge.add((0..<(limit + 5)).map { "h\($0)" }, 4)
        let alone = huge.nextLookup()
        #expect(alone.keys.count == limit + 5, "a caller with more keys than the limit goes alone")
    }

    @Test func eachCallerGetsOnlyWhatItAskedFor() {
        let found = CacheLookupQueue<Int>.byKey([
            CachedAnswer(key: "a", outcome: .answer, text: "A"),
            CachedAnswer(key: "c", outcome: .refusal, text: "C"),
            CachedAnswer(key: "a", outcome: .answer, text: "A again"),
        ])
        let mine = CacheLookupQueue<Int>.answers(for: ["a", "b"], in: found)
        #expect(mine.keys.sorted() == ["a"])
        #expect(mine["a"]?.text == "A", "the first of duplicate answers wins")
    }
}
