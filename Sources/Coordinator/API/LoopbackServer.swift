import Hummingbird
import Shared
import Synchronization

/// Serves a `CoordinatorAPI` on a free loopback port for as long as a body
/// runs: for tests and in-process benchmarks, which need a real server
/// without a fixed port.
public enum LoopbackServer {
    /// Starts the server, runs `body` with its base URL, then shuts it down.
    public static func with<T: Sendable>(_ api: CoordinatorAPI, _ body: (String) async throws -> T) async throws -> T {
        let port = Mutex<Int?>(nil)
        let app = Application(router: api.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        let clock = ContinuousClock()
        // Generous: a loaded machine can take seconds to bind; this is a start-up wait, not a measurement.
        let deadline = clock.now + .seconds(60)
        while port.withLock({ $0 }) == nil {
            guard clock.now < deadline else { throw CoordinatorClientError(status: 0, message: "the loopback coordinator did not start") }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await body("http://127.0.0.1:\(port.withLock { $0 }!)")
    }
}
