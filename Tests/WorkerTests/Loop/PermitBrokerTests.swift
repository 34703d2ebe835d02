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
            // A is refused for a minute; anyone else is granted at once.
            return requests.map {
                $0.endpoint == CoreFixtures.endpointA
                    ? PermitGrant(granted: 0, retryAfterMilliseconds: 60_000) : PermitGrant(granted: $0.count, retryAfterMilliseconds: nil)
            }
        })
        let throttled = Task { try await broker.acquire(CoreFixtures.endpointA) }
        try await waitUntil("A was refused") { asked.withLock { $0.contains(CoreFixtures.endpointA) } }
        // The flusher now sleeps until A may ask again; B arrives and must not wait that minute.
        let started = ContinuousClock.now
        try await broker.acquire(CoreFixtures.endpointB)
        #expect(ContinuousClock.now - started < .seconds(30), "B waited for A's delay")
        throttled.cancel()
    }

    @Test func aRefusedAskIsLoggedOnceAMinuteByWhatItMeans() async throws {
        let asks = Mutex(0)
        let log = RecordedLog()
        let broker = PermitBroker(
            ask: { _ in
                asks.withLock { $0 += 1 }
                throw CoordinatorClientError(status: 401, message: "unknown worker token")
            }, logger: log.logger)
        let waiting = Task { try await broker.acquire(CoreFixtures.endpointA) }
        for _ in 0..<3000 where asks.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        waiting.cancel()
        #expect(asks.withLock { $0 } >= 3)
        let logged = log.all.filter { $0.message.hasPrefix("permits:") }
        #expect(logged.count == 1)
        #expect(logged.first?.level == .error)
        #expect(logged.first?.message.contains("refuses this worker's token") == true)
        #expect(logged.first?.metadata["error"]?.contains("unknown worker token") == true)
    }
}
