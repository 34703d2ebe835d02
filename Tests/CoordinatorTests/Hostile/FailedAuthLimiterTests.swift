import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Synchronization
import Testing

/// Failed authentication is limited per address; valid tokens never are.
@Suite struct FailedAuthLimiterTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let start = ContinuousClock.now
        private let offset = Mutex(Duration.zero)
        func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    @Test func theFailurePastTheLimitMustWaitForTheWindowsEnd() {
        let clock = ManualClock()
        let limiter = FailedAuthLimiter(limit: 20, window: .seconds(60), now: { clock.now })
        for _ in 0..<20 { #expect(limiter.failed(from: "10.0.0.1") == nil) }
        clock.advance(.seconds(15))
        #expect(limiter.failed(from: "10.0.0.1") == .seconds(45))
        #expect(limiter.failed(from: "10.0.0.2") == nil, "another address has its own count")
        clock.advance(.seconds(45))
        #expect(limiter.failed(from: "10.0.0.1") == nil, "a new window starts after the old one ends")
    }

    @Test func memoryIsBoundedAndTheOldestWindowGoesFirst() {
        let clock = ManualClock()
        let limiter = FailedAuthLimiter(limit: 1, window: .seconds(60), capacity: 100, now: { clock.now })
        _ = limiter.failed(from: "oldest")
        _ = limiter.failed(from: "oldest")
        for index in 0..<10_000 {
            clock.advance(.milliseconds(1))
            _ = limiter.failed(from: "198.51.100.\(index)")
            #expect(limiter.trackedAddresses <= 100)
        }
        // "oldest" was evicted, so its count starts again (the price of a bound).
        #expect(limiter.failed(from: "oldest") == nil)
        #expect(limiter.failed(from: "198.51.100.9999") != nil, "recent addresses are still tracked")
    }

    @Test func overHTTPFailuresGet429WithRetryAfterAndValidTokensStillPass() async throws {
        let pool = try await TestDatabase.pool(suite: "auth_limiter")
        let clock = ManualClock()
        let api = CoordinatorAPI(
            pool: pool, tokens: try TestCoordinator.tokens(),
            latestMigration: try Migrator(pool: pool).latestVersion,
            authLimiter: FailedAuthLimiter(limit: 3, window: .seconds(60), now: { clock.now }))
        try await LoopbackServer.with(api) { base in
            func get(_ path: String, token: String?) async throws -> HTTPClientResponse {
                try await TestHTTP.send(base + path, token: token)
            }
            for _ in 0..<3 { #expect(try await get("/v1/sweeps", token: "guess").status == 401) }
            let limited = try await get("/v1/sweeps", token: "guess")
            #expect(limited.status == 429)
            #expect(limited.headers["retry-after"] == "60")
            #expect(limited.text.contains("too many failed authentications") && !limited.text.contains(TestCoordinator.adminToken))
            #expect(try await get("/v1/endpoints", token: nil).status == 429, "every failing route of the address")
            // Authenticated traffic from the same address is never limited, and does not count.
            for _ in 0..<10 {
                #expect(try await get("/v1/sweeps", token: TestCoordinator.adminToken).status == 200)
                #expect(try await get("/v1/endpoints", token: TestCoordinator.workerToken).status == 200)
            }
            for path in ["/healthz", "/readyz", "/metrics"] { #expect(try await get(path, token: nil).status == 200) }
            clock.advance(.seconds(61))
            #expect(try await get("/v1/sweeps", token: "guess").status == 401, "the window ended")
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM sweeps")[0].decode(Int.self, "n") == 0)
    }
}
