import Coordinator
import Foundation
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
        let api = CoordinatorAPI(
            pool: pool, tokens: try tokens(), latestMigration: try Migrator(pool: pool).latestVersion)
        return try await LoopbackServer.with(api, body)
    }

    /// A worker-token client for `baseURL`.
    public static func worker(_ baseURL: String) -> CoordinatorClient {
        CoordinatorClient(baseURL: baseURL, token: workerToken)
    }

    /// An admin-token client for `baseURL`.
    public static func admin(_ baseURL: String) -> CoordinatorClient {
        CoordinatorClient(baseURL: baseURL, token: adminToken)
    }
}
