import Foundation
import Logging
import Shared
import SiuoTestSupport
import Synchronization
import Testing

@testable import Worker

/// A permit ask the coordinator refuses is asked again, and said in the log,
/// once, not at every retry.
@Suite struct PermitBrokerTests {
    @Test func anEndpointToldToWaitDoesNotHoldUpAnother() async throws {
        let asked = Mutex<[EndpointKey]>([])
        let broker = PermitBroker(ask: { requests in
            asked.withLock { $0 += requests.map(\.endpoint) }
            // A is refused for an hour; anyone else is granted at once.
            return requests.map {
                $0.endpoint == CoreFixtures.endpointA
                    ? PermitGrant(granted: 0, retryAfterMilliseconds: 3_600_000) : PermitGrant(granted: $0.count, retryAfterMilliseconds: nil)
            }
        })
        let throttled = Task { try await broker.acquire(CoreFixtures.endpointA) }
        try await waitUntil("A was refused") { asked.withLock { $0.contains(CoreFixtures.endpointA) } }
        // The flusher now sleeps until A may ask again; B arrives and must not wait that hour
        // (the bound only tells a wait for A's delay from a slow machine).
        let started = ContinuousClock.now
        try await broker.acquire(CoreFixtures.endpointB)
        #expect(ContinuousClock.now - started < .seconds(300), "B waited for A's delay")
        throttled.cancel()
    }

    @Test func aRefusedAskIsLoggedOnceAnIntervalByWhatItMeans() async throws {
        let asks = Mutex(0)
        let log = RecordedLog()
        let broker = PermitBroker(
            ask: { _ in
                asks.withLock { $0 += 1 }
                throw CoordinatorClientError(status: 401, message: "unknown worker token")
            }, logger: log.logger, failureLogInterval: .seconds(3600))
        let waiting = Task { try await broker.acquire(CoreFixtures.endpointA) }
        try await waitUntil("three asks were refused") { asks.withLock { $0 } >= 3 }
        waiting.cancel()
        let logged = log.all.filter { $0.message.hasPrefix("permits:") }
        #expect(logged.count == 1)
        #expect(logged.first?.level == .error)
        #expect(logged.first?.message.contains("refuses this worker's token") == true)
        #expect(logged.first?.metadata["error"]?.contains("unknown worker token") == true)
    }
}
