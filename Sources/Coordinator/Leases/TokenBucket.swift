import Foundation

/// A token bucket: refills at `ratePerMinute`, holds at most `capacity`.
///
/// Pure arithmetic over a stored state, so the same rules serve every
/// coordinator replica (the state lives in a locked `rate_buckets` row) and
/// tests can drive it with any clock. Permits are granted with it; leases
/// take their tokens in SQL, with the functions of migration 0003
/// (`siuo_bucket_refill`, `siuo_bucket_capacity`, `siuo_tpm_capacity`), and
/// RateBucketRulesTests checks that both forms agree.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens available now (may be fractional; negative after a throttle).
    public var tokens: Double
    /// When `tokens` was last brought up to date.
    public var refilledAt: Date
    /// Refill speed.
    public var ratePerMinute: Double
    /// The most tokens the bucket holds: the largest burst a provider sees.
    public var capacity: Double

    /// Creates a bucket state.
    public init(tokens: Double, refilledAt: Date, ratePerMinute: Double, capacity: Double) {
        self.tokens = tokens
        self.refilledAt = refilledAt
        self.ratePerMinute = ratePerMinute
        self.capacity = capacity
    }

    /// A request bucket's capacity (docs/architecture.md, "Rate limits"): the configured `burst`, or
    /// one second's worth of the rate, never below one request.
    public static func capacity(burst: Double?, ratePerMinute: Double) -> Double {
        burst ?? max(1, ratePerMinute / 60)
    }

    /// A tpm bucket's capacity: ten seconds of the `tpm`, and never less than
    /// one request's estimate.
    public static func tokenCapacity(tpm: Double, tokensPerRequest: Double) -> Double {
        max(tpm / 6, tokensPerRequest)
    }

    /// The state at `now`: tokens added for the time passed, capped at capacity.
    public func refilled(at now: Date) -> TokenBucket {
        var next = self
        let elapsed = max(0, now.timeIntervalSince(refilledAt))
        next.tokens = min(capacity, tokens + elapsed * ratePerMinute / 60)
        next.refilledAt = max(now, refilledAt)
        return next
    }

    /// Takes up to `wanted` whole tokens at `now`; returns how many were granted.
    public mutating func take(upTo wanted: Int, at now: Date) -> Int {
        self = refilled(at: now)
        // Compared as doubles first: a bucket's tokens may exceed what an Int holds (a huge configured rate).
        let whole = tokens.rounded(.down)
        let granted = whole >= Double(wanted) ? max(0, wanted) : whole >= 1 ? Int(whole) : 0
        tokens -= Double(granted)
        return granted
    }

    /// How long until one more whole token is available.
    public func timeUntilNextToken(at now: Date) -> TimeInterval {
        let current = refilled(at: now)
        if current.tokens >= 1 { return 0 }
        return (1 - current.tokens) * 60 / ratePerMinute
    }
}
