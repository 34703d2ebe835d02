/// The limits a sweep sets on one endpoint's rate bucket. Models of one
/// sweep that call the same endpoint (a target that is also the judge, say)
/// share its bucket, so its limits are the tightest any of them sets: a role
/// that sets none never lifts another role's ceiling.
public struct EndpointLimits: Sendable, Equatable {
    /// Requests per minute, or `nil` to probe.
    public var rpm: Double?
    /// Tokens per minute, or `nil` for none.
    public var tpm: Double?
    /// The most tokens the bucket holds, or `nil` for the default.
    public var burst: Double?
    /// The most requests in flight at once, or `nil` for no cap.
    public var maxInFlight: Int?

    /// The limits `model` sets.
    public init(_ model: ModelSpec) {
        rpm = model.rpm
        tpm = model.tpm
        burst = model.burst
        maxInFlight = model.maxInFlight
    }

    /// The tightest of each limit over `models`, one entry per endpoint,
    /// ordered by provider, base URL and model, so that two submits that
    /// create the same buckets create them in the same order.
    public static func merged(_ models: [ModelSpec]) -> [(endpoint: EndpointKey, limits: EndpointLimits)] {
        var byEndpoint: [EndpointKey: EndpointLimits] = [:]
        for model in models {
            let limits = EndpointLimits(model)
            byEndpoint[model.endpointKey] = byEndpoint[model.endpointKey].map { $0.tightened(by: limits) } ?? limits
        }
        return byEndpoint.sorted {
            ($0.key.provider.rawValue, $0.key.baseURL, $0.key.model) < ($1.key.provider.rawValue, $1.key.baseURL, $1.key.model)
        }
        .map { (endpoint: $0.key, limits: $0.value) }
    }

    /// Each limit the tighter of this one's and `other`'s; one that is set beats one that is not.
    func tightened(by other: EndpointLimits) -> EndpointLimits {
        func tighter<T: Comparable>(_ a: T?, _ b: T?) -> T? {
            guard let a, let b else { return a ?? b }
            return min(a, b)
        }
        var merged = self
        merged.rpm = tighter(rpm, other.rpm)
        merged.tpm = tighter(tpm, other.tpm)
        merged.burst = tighter(burst, other.burst)
        merged.maxInFlight = tighter(maxInFlight, other.maxInFlight)
        return merged
    }
}
