import Foundation

/// The per-limit reset headers: OpenAI's `x-ratelimit-reset-{requests,tokens}`
/// (Go durations) and Anthropic's `anthropic-ratelimit-*-reset` (RFC 3339).
///
/// Providers send one reset per limit, and a 429 does not say which limit it
/// hit. When the matching `remaining` header shows which limits are used up,
/// the wait is the largest reset among those (all of them must refill before
/// a request passes). When none is shown as used up, the wait is the smallest
/// reset: the largest (often minutes for a token window that is nearly full)
/// would idle the endpoint far longer than needed, while an early retry costs
/// one more cheap 429 and the coordinator's backoff grows anyway.
enum RateLimitResetHeaders {
    /// Seconds to wait, or `nil` when no reset header is present and readable.
    static func delay(headers: [String: String], now: Date) -> TimeInterval? {
        var exhausted: [TimeInterval] = []
        var all: [TimeInterval] = []
        for (name, value) in headers {
            guard let (limit, wait) = reset(name: name, value: value, now: now) else { continue }
            all.append(wait)
            if let remaining = headers[remainingHeader(for: limit, resetHeader: name)],
                Double(remaining.trimmingCharacters(in: .whitespaces)) == 0
            {
                exhausted.append(wait)
            }
        }
        return exhausted.max() ?? all.min()
    }

    /// The limit's name and the wait, when `name` is a reset header.
    private static func reset(name: String, value: String, now: Date) -> (String, TimeInterval)? {
        if name.hasPrefix("x-ratelimit-reset-") {
            let limit = String(name.dropFirst("x-ratelimit-reset-".count))
            return GoDuration.seconds(value).map { (limit, $0) }
        }
        if name.hasPrefix("anthropic-ratelimit-"), name.hasSuffix("-reset") {
            let limit = String(name.dropFirst("anthropic-ratelimit-".count).dropLast("-reset".count))
            return HTTPDate.parseRFC3339(value).map { (limit, max(0, $0.timeIntervalSince(now))) }
        }
        return nil
    }

    private static func remainingHeader(for limit: String, resetHeader: String) -> String {
        resetHeader.hasPrefix("x-") ? "x-ratelimit-remaining-\(limit)" : "anthropic-ratelimit-\(limit)-remaining"
    }
}
