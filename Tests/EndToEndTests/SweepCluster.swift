import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A whole deployment in child processes: `siuo mock-provider`, a
/// `siuo coordinator` and `siuo worker`s, over loopback HTTP, on a private database.
final class SweepCluster: MockProviderCluster, @unchecked Sendable {
    let databaseURL: String
    let pool: PostgresPool
    let mock: SiuoProcess
    let coordinator: CoordinatorProcess
    var workers: [SiuoProcess] = []

    /// Starts the mock (with `mockConfig` as its JSON config) and a coordinator on a fresh database.
    init(suite: String, mockConfig: String, seed: Int = 7) async throws {
        databaseURL = try await TestDatabase.freshDatabase(suite: suite)
        pool = PostgresPool(url: databaseURL, size: 2)
        try await Migrator(pool: pool).migrate()
        // The mock reads its config once, before it prints its address: the file can go then.
        let folder = try TemporaryFolder(prefix: "siuo-mock")
        defer { folder.remove() }
        let configFile = try folder.write("mock.json", mockConfig)
        mock = try SiuoProcess(
            ["mock-provider", "--listen", "127.0.0.1:0", "--seed", String(seed), "--config", configFile],
            waitForAddress: true)
        coordinator = try CoordinatorProcess(databaseURL: databaseURL)
    }

    var mockURL: String { mock.baseURL! }

    /// Starts one more worker process, with `environment` (provider keys, say)
    /// added to its own and `arguments` after its own; with `metrics`, it
    /// serves its probes on a free port, whose URL is returned. Its stderr
    /// goes to `stderrFile` when given.
    @discardableResult
    func startWorker(
        concurrency: Int, environment: [String: String] = [:], metrics: Bool = false, arguments: [String] = [], stderrFile: String? = nil
    ) throws -> String? {
        let worker = try SiuoProcess(
            ["worker", "--coordinator", coordinator.baseURL, "--concurrency", String(concurrency), "--grace", "2"]
                + (metrics ? ["--metrics-listen", "127.0.0.1:0"] : []) + arguments,
            environment: environment.merging(["SIUO_WORKER_TOKEN": TestCoordinator.workerToken]) { _, token in token },
            waitForAddress: metrics, stderrFile: stderrFile)
        workers.append(worker)
        return worker.baseURL
    }

    /// Submits through the admin API, as `siuo sweep submit` does.
    func submit(_ definition: SweepDefinition) async throws {
        _ = try await TestCoordinator.admin(coordinator.baseURL).submit(definition, replace: false)
    }

    /// `pool.count(sql)`: the `n` a test's `SELECT count(*) AS n …` returns.
    func count(_ sql: String) async throws -> Int {
        try await pool.count(sql)
    }

    /// Waits (`waitUntil`: it records an issue at the caller and throws when it runs out) until no job is
    /// queued, leased or waiting for a batch.
    func waitUntilFinished(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await waitUntil("no job is queued, leased or batched", every: .milliseconds(200), sourceLocation: sourceLocation) {
            try await count("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased', 'batched')") == 0
        }
    }

    func stop() {
        for worker in workers { worker.stop() }
        coordinator.stop()
        mock.stop()
    }
}

/// A test deployment with a `siuo mock-provider` of its own.
protocol MockProviderCluster {
    /// The mock's base URL.
    var mockURL: String { get }
}

extension MockProviderCluster {
    /// The mock's `/stats` document.
    func mockStats() async throws -> [String: Any] {
        let response = try await TestHTTP.send(mockURL + "/stats")
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }
}
