import Shared

/// The API keys this worker holds, read from its own environment. Keys never
/// leave this type except into the request headers the codecs build.
///
/// A model whose `api_key_env` is its provider's default also accepts that
/// provider's alternative variables when the default is unset (Gemini:
/// `GEMINI_API_KEY`, else `GOOGLE_API_KEY`, as Google's own tools read it);
/// any other variable a sweep names is used alone.
public struct KeyRing: Sendable {
    private let environment: [String: String]

    /// Reads keys from `environment` (the process's, for a real worker).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The variable a model of `provider` takes its key from, given the `variable` its sweep names:
    /// none for the mock provider, which takes no key whatever the sweep says. The one form of that rule.
    public static func keyVariable(provider: Provider, named variable: String?) -> String? {
        provider == .mock ? nil : variable
    }

    /// Whether the worker can call `endpoint` (a keyless endpoint always can).
    public func canServe(_ endpoint: EndpointDescriptor) -> Bool {
        let provider = endpoint.endpoint.provider
        guard let variable = Self.keyVariable(provider: provider, named: endpoint.apiKeyEnvironment) else { return true }
        return value(of: Self.variables(for: variable, provider: provider)) != nil
    }

    /// Whether a call to `model` needs a key this worker lacks.
    public func lacksKey(for model: ModelSpec) -> Bool {
        Self.keyVariable(provider: model.provider, named: model.apiKeyEnvironment) != nil && key(for: model) == nil
    }

    /// The key for a model, `nil` when it needs none.
    public func key(for model: ModelSpec) -> String? {
        guard let variable = Self.keyVariable(provider: model.provider, named: model.apiKeyEnvironment) else { return nil }
        return value(of: Self.variables(for: variable, provider: model.provider))
    }

    /// The variables tried, in order, for a model of `provider` whose sweep names `variable`.
    public static func variables(for variable: String, provider: Provider) -> [String] {
        variable == provider.defaultAPIKeyEnvironment ? [variable] + provider.alternativeAPIKeyEnvironments : [variable]
    }

    /// `$GEMINI_API_KEY (or $GOOGLE_API_KEY)`, for messages.
    public static func describe(_ variable: String, provider: Provider) -> String {
        let names = variables(for: variable, provider: provider).map { "$" + $0 }
        return names.count == 1 ? names[0] : "\(names[0]) (or \(names.dropFirst().joined(separator: ", ")))"
    }

    private func value(of variables: [String]) -> String? {
        variables.lazy.compactMap { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }.first
    }
}
