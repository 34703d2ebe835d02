import Foundation

/// When a job that failed with a retryable error may run again.
public enum RetryBackoff {
    /// The first delay.
    public static let base: TimeInterval = 0.5
    /// The longest delay.
    public static let cap: TimeInterval = 60

    /// Exponential in the number of failed attempts so far, with "full
    /// jitter" (a uniform draw up to the exponential value) so that jobs that
    /// failed together do not come back together; a provider's own
    /// `retry_after` wins when it is longer, up to the day any reported delay
    /// is held to (`ReportedDelay`).
    public static func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?, random: Double = Double.random(in: 0...1)) -> TimeInterval {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(cap, base * pow(2, Double(exponent)))
        let jittered = max(base, ceiling * random)
        return max(jittered, min(retryAfter ?? 0, ReportedDelay.maxSeconds))
    }
}
