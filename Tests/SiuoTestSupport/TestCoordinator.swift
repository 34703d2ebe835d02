import Coordinator
import Foundation
import Hummingbird
import Shared
import Synchronization

/// A real coordinator on a free loopback port, for as long as `body` runs.
public enum TestCoordinator {
    /// The tokens test coordinators use.
    public static let workerToken = "worker-secret-token"
    /// The tokens test coordinators use.
    public static let adminToken = "admin-secret-token"

    /// Starts the API on `pool`, runs `body` with its base URL, then shuts it down.
    public static func with<T: Sendable>(pool: PostgresPool, _ body: (String) async throws -> T) async throws -> T {
        let api = CoordinatorAPI(pool: pool, tokens: try APITokens(worker: workerToken, admin: adminToken),
                                 latestMigration: try Migrator(pool: pool).latestVersion)
        let port = Mutex<Int?>(nil)
        let app = Application(router: api.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var waited = 0
        while port.withLock({ $0 }) == nil {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
            if waited > 500 { throw CoordinatorClientError(status: 0, message: "the test coordinator did not start") }
        }
        return try await body("http://127.0.0.1:\(port.withLock { $0 }!)")
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
