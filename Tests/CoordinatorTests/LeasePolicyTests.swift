import Coordinator
import Foundation
import Shared
import Testing

/// The pure rules behind leases: token buckets, adaptive rates, backoff.
@Suite struct LeasePolicyTests {
    @Test func aBucketNeverGrantsMoreThanRateTimesTimePlusBurst() {
        // rpm 600, burst 10; a greedy client asks every 10 ms for 20 s.
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(tokens: 10, refilledAt: start, ratePerMinute: 600, capacity: 10)
        var grants: [(Date, Int)] = []
        for step in 0..<2000 {
            let now = start.addingTimeInterval(Double(step) * 0.01)
            let granted = bucket.take(upTo: 5, at: now)
            if granted > 0 { grants.append((now, granted)) }
        }
        for windowStart in stride(from: 0.0, through: 10.0, by: 0.25) {
            let inWindow = grants.filter { $0.0.timeIntervalSince(start) >= windowStart && $0.0.timeIntervalSince(start) < windowStart + 10 }
            #expect(inWindow.reduce(0) { $0 + $1.1 } <= 100 + 10)
        }
        let total = grants.reduce(0) { $0 + $1.1 }
        #expect(total >= 195 && total <= 210)  // 10/s over 20 s, plus the initial burst
    }

    @Test func aBucketHoldingMoreTokensThanAnIntGrantsWhatIsWanted() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var huge = TokenBucket(tokens: 1e20, refilledAt: start, ratePerMinute: 1e21, capacity: 1e20)
        #expect(huge.take(upTo: 5, at: start) == 5)
        var indebted = TokenBucket(tokens: -3, refilledAt: start, ratePerMinute: 60, capacity: 2)
        #expect(indebted.take(upTo: 5, at: start) == 0)
    }

    @Test func aBucketRefillsOnlyUpToItsCapacity() {
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(tokens: 0, refilledAt: start, ratePerMinute: 60, capacity: 2)
        #expect(bucket.take(upTo: 10, at: start.addingTimeInterval(3600)) == 2)
        #expect(bucket.take(upTo: 1, at: start.addingTimeInterval(3600)) == 0)
        #expect(abs(bucket.timeUntilNextToken(at: start.addingTimeInterval(3600)) - 1) < 1e-9)
    }

    @Test func adaptiveRateHalvesAndClimbsBackUnderTheCeiling() {
        var rate = AdaptiveRate(configured: 600)
        rate.throttled()
        #expect(rate.current == 300)
        rate.succeeded(100)
        #expect(rate.current == 400)
        rate.succeeded(100_000)
        #expect(rate.current == 600)

        // Without a ceiling and before any push-back, the fast probe's step.
        var open = AdaptiveRate(configured: nil)
        #expect(open.current == 60)
        open.succeeded(100)
        #expect(open.current == 60 + 100 * AdaptiveRate.probeIncreasePerSuccess)
        open.throttled()
        let refused = open.current
        open.succeeded(10)
        #expect(open.current == refused + 10 * AdaptiveRate.increasePerSuccess, "after a push-back, the ordinary step")
        // A push-back under a ceiling ends the probe too, when the ceiling is later removed (as the SQL
        // settlement reads `last_throttled_at`).
        var capped = AdaptiveRate(configured: 600)
        capped.throttled()
        capped.configured = nil
        capped.succeeded(10)
        #expect(capped.current == 300 + 10 * AdaptiveRate.increasePerSuccess)
        for _ in 0..<40 { open.throttled() }
        #expect(open.current == AdaptiveRate.minimum)
    }

    @Test func aProbedRateSettlesJustBelowWhereItWasRefused() {
        var rate = AdaptiveRate(configured: nil, current: 2000)
        rate.throttled()
        #expect(rate.current == 1400 && rate.probed == 1800, "30% off, and the climb stops at 0.9 of the refused rate")
        rate.succeeded(10_000)
        #expect(rate.current == 1800)
        rate.throttled()
        #expect(abs(rate.current - 1260) < 1e-9 && abs((rate.probed ?? 0) - 1620) < 1e-9, "each push-back lowers the ceiling")
        var known = AdaptiveRate(configured: 1000, current: 1000, probed: 500)
        known.throttled()
        #expect(known.current == 500, "under a known ceiling the rate halves")
        known.succeeded(10_000)
        #expect(known.current == 1000, "a known ceiling wins over a probe's")
    }

    @Test func pushBacksWithinAWindowAreOneCongestionEvent() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(AdaptiveRate.startsNewEvent(lastThrottledAt: nil, now: start))
        #expect(!AdaptiveRate.startsNewEvent(lastThrottledAt: start, now: start.addingTimeInterval(1)))
        #expect(AdaptiveRate.startsNewEvent(lastThrottledAt: start, now: start.addingTimeInterval(AdaptiveRate.decreaseWindow)))
    }

    @Test func backoffGrowsWithJitterUpToTheCapAndHonoursRetryAfter() {
        #expect(RetryBackoff.delay(afterAttempt: 1, retryAfter: nil, random: 1) == 0.5)
        #expect(RetryBackoff.delay(afterAttempt: 4, retryAfter: nil, random: 1) == 4)
        #expect(RetryBackoff.delay(afterAttempt: 30, retryAfter: nil, random: 1) == 60)
        #expect(RetryBackoff.delay(afterAttempt: 4, retryAfter: nil, random: 0) == 0.5)
        #expect(RetryBackoff.delay(afterAttempt: 1, retryAfter: 7, random: 0.5) == 7)
        // A provider's wait is honoured up to the day every reported delay is held to.
        #expect(RetryBackoff.delay(afterAttempt: 1, retryAfter: 6 * 3600, random: 0.5) == 6 * 3600)
        #expect(RetryBackoff.delay(afterAttempt: 1, retryAfter: 1e9, random: 0.5) == 86_400)
    }

    @Test func sweepStateIsDerivedFromItsJobs() {
        #expect(SweepState.shown(told: .running, jobs: JobCounts(total: 2, queued: 1, done: 1)) == .running)
        #expect(SweepState.shown(told: .running, jobs: JobCounts(total: 2, done: 2)) == .done)
        #expect(SweepState.shown(told: .running, jobs: JobCounts(total: 2, done: 1, failed: 1)) == .failed)
        #expect(SweepState.shown(told: .paused, jobs: JobCounts(total: 2, queued: 2)) == .paused)
        #expect(SweepState.shown(told: .cancelled, jobs: JobCounts(total: 2, done: 1, cancelled: 1)) == .cancelled)
        #expect(SweepState.shown(told: .running, jobs: JobCounts()) == .running)
        // Watchers stop at a settled state; only a complete one has whole results.
        #expect(SweepState.allCases.filter(\.isSettled) == [.cancelled, .done, .failed])
        #expect(SweepState.allCases.filter(\.isComplete) == [.done, .failed])
    }
}
