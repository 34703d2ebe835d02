import Hummingbird
import Synchronization

/// Serves a Hummingbird application on a free loopback port for as long as a
/// body runs: the one way tests, benchmarks and `siuo run` start a server
/// without a fixed port (the coordinator API, the mock provider, test routers).
public enum Loopback {
    /// Builds the application with `make` (which must report the port it bound
    /// through the callback it is given, and listen on 127.0.0.1 port 0), runs
    /// `body` with its base URL `http://127.0.0.1:PORT`, then stops it.
    public static func serve<App: ApplicationProtocol, T: Sendable>(
        _ make: (_ onListening: @escaping @Sendable (Int) -> Void) -> App,
        _ body: (String) async throws -> T
    ) async throws -> T {
        let port = Mutex<Int?>(nil)
        let app = make { bound in port.withLock { $0 = bound } }
        let server = Task { try await app.run() }
        defer { server.cancel() }
        let clock = ContinuousClock()
        // Generous: a loaded machine can take seconds to bind; this is a start-up wait, not a measurement.
        let deadline = clock.now + .seconds(60)
        while port.withLock({ $0 }) == nil {
            guard clock.now < deadline else { throw LoopbackError() }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await body("http://127.0.0.1:\(port.withLock { $0 }!)")
    }

    /// Serves `router` (see `serve(_:_:)`).
    public static func serve<Context: RequestContext, T: Sendable>(router: Router<Context>, _ body: (String) async throws -> T) async throws -> T
    where Context.Source == ApplicationRequestContextSource {
        try await serve({ onListening in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                        onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) })
        }, body)
    }
}

/// The loopback server did not start listening within a minute.
public struct LoopbackError: Error, CustomStringConvertible {
    /// What happened.
    public var description: String { "the loopback server did not start within 60 s" }
}
