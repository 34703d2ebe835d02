import Coordinator
import Foundation
import Logging
import Shared

/// A real coordinator on a free loopback port, for as long as `body` runs.
public enum TestCoordinator {
    /// The tokens test coordinators use.
    public static let workerToken = "worker-secret-token"
    /// The tokens test coordinators use.
    public static let adminToken = "admin-secret-token"
    /// The read-only token test coordinators accept.
    public static let viewerToken = "viewer-secret-token"
    /// The read-and-label token test coordinators accept.
    public static let reviewerToken = "reviewer-secret-token"

    /// Every role's token, as test coordinators configure them.
    public static func tokens() throws -> APITokens {
        try APITokens(worker: workerToken, admin: adminToken, viewer: viewerToken, reviewer: reviewerToken)
    }

    /// Starts the API on `pool`, runs `body` with its base URL, then shuts it down.
    public static func with<T: Sendable>(pool: PostgresPool, _ body: (String) async throws -> T) async throws -> T {
        try await with(pool: pool) { url, _ in try await body(url) }
    }

    /// `with`, handing `body` the API too (its `signal`, to see waiting lease
    /// requests and the listener's state); with `listening`, the coordinator's
    /// listener for work notifications runs as well (one more database
    /// session, so only for the tests that need it: the test cluster's
    /// connections are shared by every suite running at once).
    public static func with<T: Sendable>(
        pool: PostgresPool, leaseWait: LeaseWaitTiming = LeaseWaitTiming(), listening: Bool = false,
        _ body: (String, CoordinatorAPI) async throws -> T
    ) async throws -> T {
        let api = CoordinatorAPI(
            pool: pool, tokens: try tokens(), latestMigration: try Migrator(pool: pool).latestVersion, leaseWait: leaseWait)
        var listener: Task<Void, any Error>?
        if listening {
            var logger = Logger(label: "siuo.test.listener")
            logger.logLevel = .error
            let service = JobNotificationListener(url: pool.url, settings: pool.settings, signal: api.signal, logger: logger)
            listener = Task { try await service.run() }
        }
        defer { listener?.cancel() }
        return try await LoopbackServer.with(api) { try await body($0, api) }
    }

    /// A worker-token client for `baseURL`.
    public static func worker(_ baseURL: String) -> CoordinatorClient {
        client(baseURL, token: workerToken)
    }

    /// An admin-token client for `baseURL`.
    public static func admin(_ baseURL: String) -> CoordinatorClient {
        client(baseURL, token: adminToken)
    }

    /// A client whose requests may take minutes: its timeout bounds a stuck
    /// test, and a loaded CI machine has taken over 30 s (the default) for a submit.
    private static func client(_ baseURL: String, token: String) -> CoordinatorClient {
        var client = CoordinatorClient(baseURL: baseURL, token: token)
        client.timeout = 300
        return client
    }
}
