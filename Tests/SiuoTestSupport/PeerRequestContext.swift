import Hummingbird
import NIOCore
import Synchronization

/// A request context that remembers the client's port, so tests can tell
/// whether requests shared a connection.
public struct PeerRequestContext: RequestContext {
    /// Hummingbird's per-request state.
    public var coreContext: CoreRequestContextStorage
    /// The client's TCP port for this connection.
    public let peerPort: Int?

    /// Creates the context for one request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerPort = source.channel.remoteAddress?.port
    }
}

/// Serves any router on a free loopback port while a body runs.
public enum LoopbackRouterServer {
    /// Starts the server, runs `body` with its base URL, then shuts it down.
    public static func with<T: Sendable>(_ router: Router<PeerRequestContext>, _ body: (String) async throws -> T) async throws -> T {
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        while port.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await body("http://127.0.0.1:\(port.withLock { $0 }!)")
    }
}
