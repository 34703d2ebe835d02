import Foundation
import Shared
import Synchronization

/// The limits a provider states on its responses (docs/architecture.md, "Rate limits"):
/// OpenAI and Azure `x-ratelimit-limit-{requests,tokens}`, Anthropic
/// `anthropic-ratelimit-requests-limit` and `-tokens-limit` (its combined
/// limit; without it, `-input-tokens-limit`, which binds first for image
/// requests), OpenRouter's `x-ratelimit-limit` (requests). Gemini and most
/// local servers send none. All are read as per minute, as these providers state them.
enum RateLimitHeaders {
    /// The stated limits, or `nil` when `headers` (lower-cased names) state none.
    static func limits(_ headers: [String: String]) -> ProviderLimits? {
        func number(_ name: String) -> Int? {
            guard let text = headers[name]?.trimmingCharacters(in: .whitespaces), let value = Double(text), value.isFinite, value >= 1 else {
                return nil
            }
            return Int(min(value, 1e12))
        }
        let limits = ProviderLimits(
            requestsPerMinute: number("x-ratelimit-limit-requests") ?? number("anthropic-ratelimit-requests-limit")
                ?? number("x-ratelimit-limit"),
            tokensPerMinute: number("x-ratelimit-limit-tokens") ?? number("anthropic-ratelimit-tokens-limit")
                ?? number("anthropic-ratelimit-input-tokens-limit"))
        return limits.isEmpty ? nil : limits
    }

    /// Headers stating what is left of each kind of limit, first found wins:
    /// OpenAI and Azure `x-ratelimit-remaining-{requests,tokens}`, Anthropic
    /// `anthropic-ratelimit-*-remaining`, OpenRouter `x-ratelimit-remaining` (requests).
    static let remainingHeaders: [(LimitKind, [String])] = [
        (.requests, ["x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining", "x-ratelimit-remaining"]),
        (.tokens, ["x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining"]),
        (.inputTokens, ["anthropic-ratelimit-input-tokens-remaining"]),
        (.outputTokens, ["anthropic-ratelimit-output-tokens-remaining"]),
    ]

    /// What `headers` (lower-cased names) say is left of each limit; a value
    /// that is not a finite, non-negative number is ignored.
    static func remaining(_ headers: [String: String]) -> [(kind: LimitKind, value: Double)] {
        remainingHeaders.compactMap { kind, names in
            let values = names.lazy.compactMap { headers[$0].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
            guard let value = values.first, value.isFinite, value >= 0 else { return nil }
            return (kind, min(value, 1e12))
        }
    }
}

/// The latest limits each endpoint stated, as this worker saw them; results
/// and failures carry them to the coordinator.
public final class LimitBook: Sendable {
    private let latest = Mutex<[EndpointKey: ProviderLimits]>([:])

    /// An empty book.
    public init() {}

    /// Records what `endpoint` stated (each kind of limit kept until restated).
    func record(_ limits: ProviderLimits, for endpoint: EndpointKey) {
        latest.withLock { latest in
            var merged = latest[endpoint] ?? ProviderLimits()
            merged.requestsPerMinute = limits.requestsPerMinute ?? merged.requestsPerMinute
            merged.tokensPerMinute = limits.tokensPerMinute ?? merged.tokensPerMinute
            latest[endpoint] = merged
        }
    }

    /// What `endpoint` last stated, if anything.
    public func limits(for endpoint: EndpointKey) -> ProviderLimits? {
        latest.withLock { $0[endpoint] }
    }
}
