import Hummingbird
import NIOCore

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
