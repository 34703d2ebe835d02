import Coordinator
import Foundation
import Shared
import SiuoTestSupport

/// A deployment to break: its own PostgreSQL cluster (so the test may
/// restart it), coordinators on fixed loopback ports (so a restarted one is
/// found again), worker processes, and a mock provider with faults.
final class ChaosCluster: MockProviderCluster, @unchecked Sendable {
    let postgres: EmbeddedPostgres
    let databaseURL: String
    let pool: PostgresPool
    let mock: SiuoProcess
    private(set) var coordinators: [SiuoProcess?]
    let coordinatorPorts: [Int]
    private(set) var workers: [SiuoProcess] = []
    let workerArguments: [String]

    init(name: String, mockConfig: String, mockSeed: Int, coordinators count: Int, requestTimeout: Int = 3) async throws {
        postgres = EmbeddedPostgres(directory: RepositoryPaths.root + "/.siuo/\(name)-postgres", durable: false)
        _ = try await postgres.start()
        try await postgres.dropDatabase("siuo_chaos")
        try await postgres.ensureDatabase("siuo_chaos")
        databaseURL = postgres.url(database: "siuo_chaos")
        pool = PostgresPool(url: databaseURL, size: 2)
        try await Migrator(pool: pool).migrate()
        // The mock reads its config once, before it prints its address: the file can go then.
        let folder = try TemporaryFolder(prefix: "siuo-chaos")
        defer { folder.remove() }
        let config = try folder.write("mock.json", mockConfig)
        mock = try SiuoProcess(
            ["mock-provider", "--listen", "127.0.0.1:0", "--seed", String(mockSeed), "--config", config],
            waitForAddress: true)
        coordinatorPorts = try (0..<count).map { _ in try FreePort.find() }
        coordinators = Array(repeating: nil, count: count)
        workerArguments = ["--concurrency", "16", "--grace", "2", "--request-timeout", String(requestTimeout)]
        for index in 0..<count { try startCoordinator(index) }
    }

    var mockURL: String { mock.baseURL! }

    func coordinatorURL(_ index: Int) -> String { "http://127.0.0.1:\(coordinatorPorts[index])" }

    func startCoordinator(_ index: Int) throws {
        coordinators[index] = try SiuoProcess(
            [
                "coordinator", "--database-url", databaseURL, "--listen", "127.0.0.1:\(coordinatorPorts[index])", "--pool-size", "4",
                "--drain-seconds", "0",
            ],
            environment: ["SIUO_WORKER_TOKEN": TestCoordinator.workerToken, "SIUO_ADMIN_TOKEN": TestCoordinator.adminToken],
            waitForAddress: true)
    }

    /// SIGTERM, then the same command on the same port.
    func restartCoordinator(_ index: Int) throws {
        coordinators[index]?.stop()
        try startCoordinator(index)
    }

    /// Starts worker number `workers.count`, talking to coordinator `index % coordinators`.
    func startWorker() throws {
        let url = coordinatorURL(workers.count % coordinatorPorts.count)
        workers.append(
            try SiuoProcess(
                ["worker", "--coordinator", url] + workerArguments,
                environment: ["SIUO_WORKER_TOKEN": TestCoordinator.workerToken], waitForAddress: false))
    }

    /// SIGKILL one running worker and start another in its place.
    func killAndReplaceWorker(_ index: Int) throws {
        workers[index].kill()
        let url = coordinatorURL(index % coordinatorPorts.count)
        workers[index] = try SiuoProcess(
            ["worker", "--coordinator", url] + workerArguments,
            environment: ["SIUO_WORKER_TOKEN": TestCoordinator.workerToken], waitForAddress: false)
    }

    func restartPostgres() async throws {
        try await stopPostgres()
        try await startPostgres()
    }

    /// The database goes away (a fast shutdown: sessions are cut).
    func stopPostgres() async throws {
        _ = try await postgres.stop()
    }

    /// The database comes back on the same port and data.
    func startPostgres() async throws {
        _ = try await postgres.start()
    }

    /// `pool.count(sql)`, or `nil` while the database is away.
    func count(_ sql: String) async -> Int? {
        try? await pool.count(sql)
    }

    func stop() {
        for worker in workers { worker.stop() }
        for coordinator in coordinators { coordinator?.stop() }
        mock.stop()
    }
}
