import Foundation
import Hummingbird
import Shared
import Synchronization

/// Limits failed authentication per remote address: past `limit` failures
/// within `window`, that address's failing requests get 429 with
/// `Retry-After` instead of 401 until the window ends.
///
/// It only ever rewrites a 401, so a request with a valid token is never
/// slowed or refused, even from an address that is being limited (workers
/// behind one NAT or one TLS proxy share an address with whoever else is
/// there). Memory is bounded: at most `capacity` addresses are tracked, the
/// oldest window evicted first.
public final class FailedAuthLimiter: Sendable {
    /// Failures allowed per address and window.
    public let limit: Int
    /// How long failures are remembered.
    public let window: Duration
    /// Most addresses tracked at once.
    public let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let windows = Mutex<[String: Window]>([:])

    private struct Window {
        var started: ContinuousClock.Instant
        var failures: Int
    }

    /// A limiter; `now` is injectable so tests can move time without sleeping.
    public init(
        limit: Int = 20, window: Duration = .seconds(60), capacity: Int = 4096,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
        self.now = now
    }

    /// Counts one failed authentication from `address`; returns how long the
    /// address must wait when this failure is past the limit, else `nil`.
    public func failed(from address: String) -> Duration? {
        let now = self.now()
        return windows.withLock { windows in
            if let current = windows[address], now - current.started < window {
                windows[address]!.failures += 1
                let failures = current.failures + 1
                return failures > limit ? window - (now - current.started) : nil
            }
            if windows[address] == nil && windows.count >= capacity { evict(&windows, now: now) }
            windows[address] = Window(started: now, failures: 1)
            return limit < 1 ? window : nil
        }
    }

    /// How many addresses are tracked (for tests of the memory bound).
    public var trackedAddresses: Int { windows.withLock { $0.count } }

    /// Expired windows go first; when none has expired, the oldest one goes.
    private func evict(_ windows: inout [String: Window], now: ContinuousClock.Instant) {
        let expired = windows.filter { now - $0.value.started >= window }.map(\.key)
        expired.forEach { windows.removeValue(forKey: $0) }
        if windows.count >= capacity, let oldest = windows.min(by: { $0.value.started < $1.value.started })?.key {
            windows.removeValue(forKey: oldest)
        }
    }
}

/// Applies a `FailedAuthLimiter` to every route registered after it.
struct FailedAuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let limiter: FailedAuthLimiter

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard response.status == .unauthorized else { return response }
        guard let wait = limiter.failed(from: context.remoteAddress) else { return response }
        let seconds = max(1, Int(wait.seconds.rounded(.up)))
        var limited = JSONResponses.error(.tooManyRequests, "too many failed authentications from this address; retry after \(seconds) s")
        limited.headers[.retryAfter] = String(seconds)
        return limited
    }
}
