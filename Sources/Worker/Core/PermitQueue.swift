import Shared

/// The permit broker's decisions, free of tasks and clocks: who waits for a
/// rate token of which endpoint, which endpoints may ask the coordinator now,
/// and whom a grant serves. Callers pass the time in.
struct PermitQueue: Sendable {
    /// The shortest pause between two asks for one endpoint that was refused some.
    static let minimumPause = Duration.milliseconds(20)
    /// The pause when the coordinator named no delay.
    static let defaultPause = Duration.milliseconds(250)
    /// The pause after a failed ask (coordinator unreachable).
    static let failurePause = Duration.milliseconds(500)

    private var waiting: [EndpointKey: [UInt64]] = [:]
    private var notBefore: [EndpointKey: ContinuousClock.Instant] = [:]

    /// Whether anyone is waiting.
    var isEmpty: Bool { waiting.values.allSatisfy(\.isEmpty) }

    /// Puts waiter `id` at the back of `endpoint`'s line.
    mutating func enqueue(_ id: UInt64, for endpoint: EndpointKey) {
        waiting[endpoint, default: []].append(id)
    }

    /// Takes waiter `id` out of `endpoint`'s line; returns whether it was waiting.
    mutating func abandon(_ id: UInt64, for endpoint: EndpointKey) -> Bool {
        guard let index = waiting[endpoint]?.firstIndex(of: id) else { return false }
        waiting[endpoint]!.remove(at: index)
        return true
    }

    /// When the next ask may go out: the earliest time any endpoint with
    /// waiters may ask again (`now` when one may ask at once), or nil when nobody waits.
    func nextAsk(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        waiting.filter { !$0.value.isEmpty }.keys.map { max(notBefore[$0] ?? now, now) }.min()
    }

    /// One request per endpoint that has waiters and may ask at `now`, for all its waiters.
    func due(now: ContinuousClock.Instant) -> [PermitRequest] {
        waiting.filter { !$0.value.isEmpty && (notBefore[$0.key] ?? now) <= now }
            .map { PermitRequest(endpoint: $0.key, count: $0.value.count) }
            .sorted { Self.order($0.endpoint).lexicographicallyPrecedes(Self.order($1.endpoint)) }
    }

    /// Serves the first `grant.granted` waiters of `endpoint` and returns
    /// them; those left wait for the delay the coordinator named.
    mutating func apply(_ grant: PermitGrant, for endpoint: EndpointKey, now: ContinuousClock.Instant) -> [UInt64] {
        let line = waiting[endpoint] ?? []
        let served = Array(line.prefix(max(0, grant.granted)))
        waiting[endpoint] = Array(line.dropFirst(served.count))
        if served.count < line.count {
            let named = grant.retryAfterMilliseconds.map { Duration.milliseconds($0) } ?? Self.defaultPause
            notBefore[endpoint] = now + max(Self.minimumPause, named)
        }
        return served
    }

    private static func order(_ endpoint: EndpointKey) -> [String] {
        [endpoint.provider.rawValue, endpoint.baseURL, endpoint.model]
    }

    /// The ask for `requests` failed: those endpoints wait a while before asking again.
    mutating func failed(_ requests: [PermitRequest], now: ContinuousClock.Instant) {
        for request in requests { notBefore[request.endpoint] = now + Self.failurePause }
    }
}
