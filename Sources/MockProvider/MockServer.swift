import Foundation
import Hummingbird
import Logging
import LoopbackHTTP
import Shared

/// The mock provider: routes, rate limits, faults and answers. One instance
/// holds the process's state (buckets, counters); answers depend only on the
/// seed and the configuration.
public final class MockServer: Sendable {
    /// Every answer's seed.
    public let seed: Int
    /// How models behave.
    public let config: MockConfig
    let stats = MockStats()
    let batches = MockBatchStore()
    let limiter = RateLimiter()
    let hangs = HangGate()
    let logger: Logger

    /// A server with `seed` and `config`; nothing listens until it runs in an application.
    public init(seed: Int = 0, config: MockConfig = MockConfig(), logger: Logger = Logger(label: "siuo.mock-provider")) {
        self.seed = seed
        self.config = config
        self.logger = logger
    }

    /// The Hummingbird responder serving every route.
    public var responder: MockResponder { MockResponder(server: self) }

    /// A Hummingbird application on `host:port` (port 0: any free one);
    /// `onListening` gets the port actually bound.
    public func application(host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            responder: responder,
            // A deep backlog: benchmarks open a thousand connections at once.
            configuration: .init(address: .hostname(host, port: port), serverName: MockProviderModule.name, backlog: 4096),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Ends every hung request at once, and makes later hangs end at once:
    /// call it when shutting down, or graceful shutdown waits for them.
    public func releaseHangs() {
        hangs.release()
    }

    /// The `/stats` document, with the batch counters (batches due are settled first).
    public func statistics() -> JSONValue {
        batches.settleAll { batch, line in reply(toBody: line.body, format: batch.format, pathModel: batch.pathModel, sample: line.sample) }
        guard case .object(var document) = stats.snapshot(seed: seed) else { return .null }
        let counters = batches.counters()
        var created: [String: JSONValue] = [:]
        for format in MockWireFormat.allCases { created[format.rawValue] = .int(Int64(counters.created[format] ?? 0)) }
        document["batches"] = .object([
            "created": .object(created),
            "lines_received": .int(Int64(counters.linesReceived)),
            "lines_answered": .int(Int64(counters.linesAnswered)),
            "lines_errored": .int(Int64(counters.linesErrored)),
            "duplicate_paid_lines": .int(Int64(counters.duplicatePaidLines)),
            "over_queue_limit": .int(Int64(counters.overQueueLimit)),
        ])
        return .object(document)
    }

    /// Zeroes the counters of `/stats` (`POST /stats/reset`).
    public func resetStatistics() {
        stats.reset()
        batches.resetCounters()
    }
}

/// Serves a `MockServer` on a free loopback port while a body runs: for tests
/// of this and other targets that need a real provider.
public enum MockLoopback {
    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT`), then stops it.
    public static func with<T: Sendable>(_ server: MockServer, _ body: (String) async throws -> T) async throws -> T {
        try await Loopback.serve(
            { server.application(host: "127.0.0.1", port: 0, onListening: $0) },
            beforeShutdown: { server.releaseHangs() }, body)
    }
}
