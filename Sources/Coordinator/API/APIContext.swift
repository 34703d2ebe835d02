import Hummingbird
import Logging

/// The request context of the coordinator API: Hummingbird's basics plus
/// this server's body size limit.
public struct APIContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Bodies larger than this are refused with 413.
    public let maxUploadSize: Int
    /// The peer's IP address, keying failed-authentication limits.
    public let remoteAddress: String
    /// The role the request's bearer token names (``TokenRoleMiddleware``), or nil without a valid token.
    public var role: APITokens.Role?

    /// Builds the context for one request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        maxUploadSize = APIContext.bodyLimit
        // A unix-socket or unknown peer shares one key: it is limited, not exempt.
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// 16 MiB: a batch of 100 generate results with long answers fits easily.
    static let bodyLimit = 16 << 20
}
