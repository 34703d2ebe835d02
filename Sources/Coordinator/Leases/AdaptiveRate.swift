import Foundation

/// The rate a bucket refills at, adapted to what the provider accepts
/// (docs/architecture.md, "Rate limits"): halve on a 429/529 (once per congestion event), climb back
/// by a step per successful request, never above the configured `rpm`.
public struct AdaptiveRate: Sendable, Equatable {
    /// Without a configured `rpm`, a bucket starts here and climbs.
    public static let initialUnconfigured: Double = 60
    /// The floor: one request a minute keeps probing.
    public static let minimum: Double = 1

    /// The configured ceiling, or `nil` to climb until pushed back.
    public var configured: Double?
    /// The rate in force.
    public var current: Double

    /// A rate starting at `configured`, or at 60/min when unconfigured.
    public init(configured: Double?, current: Double? = nil) {
        self.configured = configured
        self.current = current ?? configured ?? Self.initialUnconfigured
    }

    /// Multiplicative decrease after the provider pushed back.
    public mutating func throttled() {
        current = max(Self.minimum, current / 2)
    }

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

    /// Requests per minute added per accepted request. At rate r there are r
    /// successes a minute, so the rate grows by a factor e about every minute:
    /// a halving is recovered in under a minute, an unconfigured endpoint
    /// climbs from 60 to 600/min in about 2.5 minutes.
    public static let increasePerSuccess: Double = 1

    /// Requests per minute added per accepted request while an endpoint with
    /// no configured or stated limit has never pushed back: at rate r there
    /// are r/12 successes in 5 s, so the rate doubles about every 5 s, from
    /// 60/min to 1,800/min in under half a minute. The first push-back halves
    /// it and ends the probe.
    public static let probeIncreasePerSuccess: Double = 12

    /// Additive increase after `successes` accepted requests.
    public mutating func succeeded(_ successes: Int = 1) {
        guard successes > 0 else { return }
        let raised = current + Double(successes) * Self.increasePerSuccess
        current = configured.map { min($0, raised) } ?? raised
    }
}
