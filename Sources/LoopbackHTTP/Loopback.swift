import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// Serves a Hummingbird application on a free loopback port for as long as a
/// body runs: the one way tests, benchmarks and `siuo run` start a server
/// without a fixed port (the coordinator API, the mock provider, test routers).
public enum Loopback {
    /// How long a graceful shutdown may take before the server is cancelled.
    /// Generous: cancelling a Hummingbird server that still holds accepted
    /// connections trips a check in NIO and stops the process, so it is only a
    /// last resort against a request that never ends.
    static let shutdownGrace = Duration.seconds(60)

    /// Builds the application with `make` (which must listen on 127.0.0.1 port
    /// 0 and report the port it bound through the callback it is given), runs
    /// `body` with its base URL `http://127.0.0.1:PORT`, then shuts the server
    /// down gracefully: `beforeShutdown` runs (to end requests that would never
    /// finish by themselves), the server stops accepting, open connections
    /// end, and only a server still running after `shutdownGrace` is cancelled.
    public static func serve<App: ApplicationProtocol & Service, T: Sendable>(
        _ make: (_ onListening: @escaping @Sendable (Int) -> Void) -> App,
        beforeShutdown: @Sendable () -> Void = {},
        _ body: (String) async throws -> T
    ) async throws -> T {
        let port = Mutex<Int?>(nil)
        let app = make { bound in port.withLock { $0 = bound } }
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "siuo.loopback")))
        let server = Task { try await group.run() }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body(try await waitForPort(port)))
        } catch {
            outcome = .failure(error)
        }
        beforeShutdown()
        await group.triggerGracefulShutdown()
        let deadline = Task {
            try await Task.sleep(for: shutdownGrace)
            server.cancel()
        }
        _ = await server.result
        deadline.cancel()
        return try outcome.get()
    }

    /// Serves `router` (see `serve(_:beforeShutdown:_:)`).
    public static func serve<Context: RequestContext, T: Sendable>(
        router: Router<Context>, beforeShutdown: @Sendable () -> Void = {}, _ body: (String) async throws -> T
    ) async throws -> T where Context.Source == ApplicationRequestContextSource {
        try await serve(
            { onListening in
                Application(
                    // A deep backlog: tests open a thousand connections at once, and a
                    // full default backlog drops connection attempts that then wait seconds to retry.
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
                    onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) })
            }, beforeShutdown: beforeShutdown, body)
    }

    private static func waitForPort(_ port: borrowing Mutex<Int?>) async throws -> String {
        let clock = ContinuousClock()
        // Generous: a loaded machine can take seconds to bind; this is a start-up wait, not a measurement.
        let deadline = clock.now + .seconds(60)
        while port.withLock({ $0 }) == nil {
            guard clock.now < deadline else { throw LoopbackError() }
            try await Task.sleep(for: .milliseconds(10))
        }
        return "http://127.0.0.1:\(port.withLock { $0 }!)"
    }
}

/// The loopback server did not start listening within a minute.
public struct LoopbackError: Error, CustomStringConvertible {
    /// What happened.
    public var description: String { "the loopback server did not start within 60 s" }
}
