/// The stateless process that leases jobs from a coordinator and calls the
/// model APIs. Built out in the worker issue; this module holds its parts.
public enum WorkerModule {
    /// The user agent every request from a worker carries.
    public static let userAgent = "siuo-sweep-worker"
}
