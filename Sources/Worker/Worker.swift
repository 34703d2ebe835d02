/// The stateless process that leases jobs from a coordinator and calls the
/// model APIs (docs/architecture.md, "The parts"); this module's own constants.
public enum WorkerModule {
    /// The user agent every request from a worker carries.
    public static let userAgent = "siuo-sweep-worker"
}
