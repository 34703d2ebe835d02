/// `siuo mock-provider`: an OpenAI/Anthropic/Gemini-compatible server for
/// dry runs, demos, tests and benchmarks. Built out in the worker issue.
public enum MockProviderModule {
    /// The name it reports in `/stats`.
    public static let name = "siuo-mock-provider"
}
