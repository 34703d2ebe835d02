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
