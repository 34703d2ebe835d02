import Hummingbird
import Logging
import NIOCore

/// The per-request context: the connection's channel, which the `reset` and
/// `hang` faults need (to drop the connection, or notice the client left).
public struct MockRequestContext: InitializableFromSource {
    /// The connection.
    public let channel: any Channel
    /// The request's logger.
    public let logger: Logger

    /// Creates a context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        channel = source.channel
        logger = source.logger
    }
}
