import Synchronization

/// One token bucket per model, refilled continuously at `rpm/60` per second.
/// The bucket holds `burst + limit_slack` tokens and starts full; a request
/// that finds less than one token is over the limit.
final class RateLimiter: Sendable {
    enum Decision: Sendable {
        case allowed(remaining: Int, untilFull: Duration)
        case limited(RateLimitInfo)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let tokenBuckets = Mutex<[String: Bucket]>([:])

    /// Spends `tokens` of `model`'s input-token bucket (`tpm`, ten seconds'
    /// worth of capacity) at `now`, if it holds them.
    func take(tokens: Int, model: String, profile: MockModelProfile, now: ContinuousClock.Instant) -> Decision? {
        guard let tpm = profile.tpm else { return nil }
        let rate = tpm / 60
        let capacity = tpm / 6
        return tokenBuckets.withLock { buckets in
            var bucket = buckets[model] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, (now - bucket.updated).seconds) * rate)
            bucket.updated = now
            defer { buckets[model] = bucket }
            let cost = Double(tokens)
            if bucket.tokens >= cost {
                bucket.tokens -= cost
                return .allowed(remaining: Int(bucket.tokens), untilFull: .seconds((capacity - bucket.tokens) / rate))
            }
            return .limited(RateLimitInfo(retryAfter: .seconds((cost - bucket.tokens) / rate), limit: tpm, remaining: Int(bucket.tokens)))
        }
    }

    /// Spends a token of `model`'s bucket at `now`, if it has one.
    func take(model: String, profile: MockModelProfile, now: ContinuousClock.Instant) -> Decision? {
        guard let rpm = profile.rpm, let burst = profile.effectiveBurst else { return nil }
        let rate = rpm / 60
        let capacity = burst + profile.limitSlack
        return buckets.withLock { buckets in
            var bucket = buckets[model] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = max(0, (now - bucket.updated).seconds)
            bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
            bucket.updated = now
            defer { buckets[model] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return .allowed(remaining: Int(bucket.tokens), untilFull: .seconds((capacity - bucket.tokens) / rate))
            }
            return .limited(RateLimitInfo(retryAfter: .seconds((1 - bucket.tokens) / rate), limit: rpm, remaining: 0))
        }
    }
}
