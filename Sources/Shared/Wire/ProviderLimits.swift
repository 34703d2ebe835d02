/// The rate limits a provider states for an endpoint in its response headers
/// (docs/architecture.md, "Rate limits"), per minute, as a worker last saw
/// them. Reported with results and failures; the coordinator sets the
/// endpoint's rates a little below them.
public struct ProviderLimits: Sendable, Codable, Equatable {
    /// Requests per minute.
    public var requestsPerMinute: Int?
    /// Model tokens (input and output) per minute.
    public var tokensPerMinute: Int?

    /// Creates limits; `nil` when the provider did not say.
    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// Whether the provider said anything.
    public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil }

    /// The limits a bucket can run at: positive ones. A zero or negative
    /// limit (a broken header, a hostile server) says nothing usable.
    public var usable: ProviderLimits {
        ProviderLimits(
            requestsPerMinute: requestsPerMinute.flatMap { $0 > 0 ? $0 : nil }, tokensPerMinute: tokensPerMinute.flatMap { $0 > 0 ? $0 : nil })
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "rpm", tokensPerMinute = "tpm"
    }

    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        writer.member(CodingKeys.requestsPerMinute, requestsPerMinute)
        writer.member(CodingKeys.tokensPerMinute, tokensPerMinute)
        writer.endObject()
    }

    static func read(_ reader: inout JSONBytesReader) throws(JSONBytesReader.Unreadable) -> ProviderLimits {
        var limits = ProviderLimits()
        try reader.readObject { key, reader throws(JSONBytesReader.Unreadable) in
            if reader.readNull() { return }
            switch CodingKeys(rawValue: key) {
            case .requestsPerMinute: limits.requestsPerMinute = try reader.readInt()
            case .tokensPerMinute: limits.tokensPerMinute = try reader.readInt()
            case nil: try reader.skipValue()
            }
        }
        return limits
    }
}
