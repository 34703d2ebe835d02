import Shared

/// The API keys this worker holds, read from its own environment. Keys never
/// leave this type except into the request headers the codecs build.
public struct KeyRing: Sendable {
    private let environment: [String: String]

    /// Reads keys from `environment` (the process environment by default).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Whether the worker can call `endpoint` (a keyless endpoint always can).
    public func canServe(_ endpoint: EndpointDescriptor) -> Bool {
        guard let variable = endpoint.apiKeyEnvironment else { return true }
        return !(environment[variable] ?? "").isEmpty
    }

    /// The key for a model, `nil` when it needs none.
    public func key(for model: ModelSpec) -> String? {
        guard let variable = model.apiKeyEnvironment, model.provider != .mock else { return nil }
        return environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }
}
