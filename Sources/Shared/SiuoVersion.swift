/// The version of siuo-sweep, shared so that the coordinator can put it in reports' provenance
/// and the CLI can report it with `--version`.
public enum SiuoVersion {
    /// The released version.
    public static let current = "0.1.0"
}
