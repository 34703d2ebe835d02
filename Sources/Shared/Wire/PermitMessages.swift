/// `POST /v1/permits` item: rate tokens for requests a lease did not carry
/// (retries, later samples, judge re-asks).
public struct PermitRequest: Sendable, Codable, Equatable {
    /// The endpoint the requests go to.
    public var endpoint: EndpointKey
    /// How many requests the worker wants to send.
    public var count: Int

    /// The most one request may ask for: far above any worker's concurrency.
    public static let maxCount = 100_000

    /// Creates a request.
    public init(endpoint: EndpointKey, count: Int) {
        self.endpoint = endpoint
        self.count = count
    }
}

/// The answer to one `PermitRequest`.
public struct PermitGrant: Sendable, Codable, Equatable {
    /// Requests the worker may send now (0 to `count`).
    public var granted: Int
    /// When asking again is worthwhile, if nothing or not all was granted.
    public var retryAfterMilliseconds: Int?

    /// Creates a grant.
    public init(granted: Int, retryAfterMilliseconds: Int?) {
        self.granted = granted
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case granted, retryAfterMilliseconds = "retry_after_ms"
    }
}
