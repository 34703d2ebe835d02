/// `GET /v1/endpoints` item: an endpoint some running sweep uses, and the
/// variable its key is read from (the key itself never leaves the worker).
public struct EndpointDescriptor: Sendable, Codable, Equatable {
    /// The endpoint.
    public var endpoint: EndpointKey
    /// The environment variable holding its key; `nil` when none is needed.
    public var apiKeyEnvironment: String?

    /// Creates a descriptor.
    public init(endpoint: EndpointKey, apiKeyEnvironment: String?) {
        self.endpoint = endpoint
        self.apiKeyEnvironment = apiKeyEnvironment
    }

    enum CodingKeys: String, CodingKey {
        case endpoint, apiKeyEnvironment = "api_key_env"
    }
}
