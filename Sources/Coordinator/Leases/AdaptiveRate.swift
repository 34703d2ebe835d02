/// The rate a bucket refills at, adapted to what the provider accepts
/// (DESIGN §4): halve on a 429/529, climb back by a small step per
/// successful request, never above the configured `rpm`.
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

    /// Requests per minute added per accepted request: one more for every
    /// ten, so recovery from a halving takes minutes, not seconds.
    public static let increasePerSuccess: Double = 0.1

    /// Until the provider first pushes back there is no rate to stay near,
    /// only one to find: one more request per minute for every accepted one
    /// (TCP's slow start, with a minute as the window), so the rate doubles
    /// in about 40 s instead of climbing from 60 to 1,800 in half an hour.
    public static let slowStartIncreasePerSuccess: Double = 1

    /// Additive increase after `successes` accepted requests; faster
    /// (slow start) while the endpoint has never been throttled.
    public mutating func succeeded(_ successes: Int = 1, everThrottled: Bool = true) {
        guard successes > 0 else { return }
        let step = everThrottled ? Self.increasePerSuccess : Self.slowStartIncreasePerSuccess
        let raised = current + Double(successes) * step
        current = configured.map { min($0, raised) } ?? raised
    }
}
