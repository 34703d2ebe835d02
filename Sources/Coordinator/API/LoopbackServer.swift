import LoopbackHTTP

/// Serves a `CoordinatorAPI` on a free loopback port while a body runs: for
/// tests, in-process benchmarks and `siuo run`.
public enum LoopbackServer {
    /// Starts the server, runs `body` with its base URL, then shuts it down.
    public static func with<T: Sendable>(_ api: CoordinatorAPI, _ body: (String) async throws -> T) async throws -> T {
        try await Loopback.serve(router: api.router, body)
    }
}
