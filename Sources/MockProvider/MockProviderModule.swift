/// Facts about the mock provider as a whole.
public enum MockProviderModule {
    /// The name it reports in `/stats`.
    public static let name = "siuo-mock-provider"
}
