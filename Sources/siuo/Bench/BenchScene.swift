import Coordinator
import Foundation
import Shared

/// What the whole-sweep benchmarks stand on: a scratch database on the
/// embedded cluster with the dataset imported, a mock provider child with a
/// config, a `siuo coordinator` child, and `siuo worker` children on demand.
/// `stop()` ends every child and removes the config file.
final class BenchScene {
    let pool: PostgresPool
    let mockBase: String
    let coordinator: BenchChild
    let tokens = (worker: UUID().uuidString, admin: UUID().uuidString)
    private let mocks = MockChildren()
    private let configFile: URL
    private(set) var workers: [BenchChild] = []

    /// Keys for every provider a bench model may speak (the mock takes any).
    static let providerKeys = ["OPENAI_API_KEY": "sk-bench", "ANTHROPIC_API_KEY": "sk-ant-bench", "GEMINI_API_KEY": "gm-bench"]

    /// Starts it all on database `database` (dropped first) of the cluster in `directory`.
    init(database: String, directory: String?, dataset: LoadedDataset, mockConfig: String) async throws {
        let cluster = EmbeddedPostgres(directory: directory ?? EmbeddedPostgres.defaultDirectory())
        try await cluster.start()
        try await cluster.dropDatabase(database)
        try await cluster.ensureDatabase(database)
        let databaseURL = cluster.url(database: database)
        pool = PostgresPool(url: databaseURL, size: 2)
        _ = try await Migrator(pool: pool).migrate()
        _ = try await DatasetStore(pool: pool).importDataset(dataset, replace: true)

        let mockPort = try FreePort.find()
        configFile = FileManager.default.temporaryDirectory.appendingPathComponent("siuo-\(database)-mock-\(getpid()).json")
        try Data(mockConfig.utf8).write(to: configFile)
        try await mocks.start(addresses: ["127.0.0.1:\(mockPort)"], seed: 1, config: configFile.path)
        mockBase = "http://127.0.0.1:\(mockPort)"
        coordinator = try await BenchChild.start(
            ["coordinator", "--database-url", databaseURL, "--listen", "127.0.0.1:0", "--drain-seconds", "0"],
            environment: ["SIUO_WORKER_TOKEN": tokens.worker, "SIUO_ADMIN_TOKEN": tokens.admin], waitForAddress: true)
    }

    /// An admin client of the coordinator.
    var admin: CoordinatorClient { CoordinatorClient(baseURL: coordinator.baseURL!, token: tokens.admin) }

    /// Starts `count` worker children holding every provider key.
    func startWorkers(_ count: Int, concurrency: Int) async throws {
        for _ in 0..<count {
            workers.append(
                try await BenchChild.start(
                    ["worker", "--coordinator", coordinator.baseURL!, "--concurrency", String(concurrency), "--grace", "5"],
                    environment: Self.providerKeys.merging(["SIUO_WORKER_TOKEN": tokens.worker]) { _, token in token },
                    waitForAddress: false))
        }
    }

    /// Stops the workers (the rest keeps running).
    func stopWorkers() async {
        for worker in workers { await worker.stop() }
    }

    /// Stops every child and removes the mock's config.
    func stop() async {
        await stopWorkers()
        await coordinator.stop()
        await mocks.stop()
        try? FileManager.default.removeItem(at: configFile)
    }

    /// Runs `body` on this scene, then stops it, whether `body` threw or not.
    func whileRunning(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}
