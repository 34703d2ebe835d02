import Foundation

/// The rate a bucket refills at, adapted to what the provider accepts
/// (docs/architecture.md, "Rate limits"): halve on a 429/529 (once per congestion event), climb back
/// by a step per successful request, never above the configured `rpm`.
public struct AdaptiveRate: Sendable, Equatable {
    /// Without a configured `rpm`, a bucket starts here and climbs.
    public static let initialUnconfigured: Double = 60
    /// The floor: one request a minute keeps probing.
    public static let minimum: Double = 1

    /// The ceiling configured or stated by the provider, or `nil` to probe.
    public var configured: Double?
    /// The rate in force.
    public var current: Double
    /// While probing: just below the rate of the latest push-back; the climb stops there.
    public var probed: Double?
    /// The endpoint has pushed back at least once (the bucket's `last_throttled_at` is set), under a
    /// ceiling or not: the fast probe's step is over for good.
    public var pushedBack: Bool

    /// A rate starting at `configured`, or at 60/min when unconfigured.
    public init(configured: Double?, current: Double? = nil, probed: Double? = nil, pushedBack: Bool = false) {
        self.configured = configured
        self.current = current ?? configured ?? Self.initialUnconfigured
        self.probed = probed
        self.pushedBack = pushedBack
    }

    /// Multiplicative decrease after the provider pushed back. Under a known
    /// ceiling the rate halves. While probing, the push-back says where the
    /// limit is: the rate drops by 30% and the climb stops at 0.9 of the rate
    /// that was refused (each later push-back lowers that further), so the
    /// rate settles just under the limit instead of halving and climbing.
    public mutating func throttled() {
        pushedBack = true
        guard configured == nil else {
            current = max(Self.minimum, current / 2)
            return
        }
        probed = max(Self.minimum, min(probed ?? .infinity, current * Self.probedShare))
        current = max(Self.minimum, min(current * Self.probeDecrease, probed ?? current))
    }

    /// While probing, the share of a refused rate the climb may reach again.
    public static let probedShare = 0.9
    /// While probing, what a push-back leaves of the rate.
    public static let probeDecrease = 0.7

    /// 429s that arrive within this long of a decrease belong to the same
    /// congestion event (many workers hit the limit together) and do not
    /// halve the rate again; otherwise one burst, or a provider's stray 429s,
    /// would drive the rate to the floor.
    public static let decreaseWindow: TimeInterval = 5

    /// Whether a push-back at `now` starts a new congestion event.
    public static func startsNewEvent(lastThrottledAt: Date?, now: Date) -> Bool {
        guard let lastThrottledAt else { return true }
        return now.timeIntervalSince(lastThrottledAt) >= decreaseWindow
    }

    /// Requests per minute added per accepted request under a configured or
    /// stated ceiling, and after an unconfigured endpoint first pushed back.
    /// At rate r there are r successes a minute, so the rate grows by a
    /// factor e about every minute: a halving is recovered in under a minute.
    public static let increasePerSuccess: Double = 1

    /// Requests per minute added per accepted request while an endpoint with
    /// no configured or stated limit has never pushed back: at rate r there
    /// are r/12 successes in 5 s, so the rate doubles about every 5 s, from
    /// 60/min to 1,800/min in under half a minute. The first push-back takes
    /// 30% off and caps the climb at 0.9 of the refused rate (`throttled()`).
    public static let probeIncreasePerSuccess: Double = 12

    /// Additive increase after `successes` accepted requests: the fast
    /// probe's step while no ceiling is known and the endpoint never pushed
    /// back, the ordinary step otherwise (`RateBucketSQL.settle` is the SQL
    /// form; `LearnedLimitsTests` holds the two together).
    public mutating func succeeded(_ successes: Int = 1) {
        guard successes > 0 else { return }
        let step = configured == nil && !pushedBack ? Self.probeIncreasePerSuccess : Self.increasePerSuccess
        let raised = current + Double(successes) * step
        current = (configured ?? probed).map { min($0, raised) } ?? raised
    }
}
