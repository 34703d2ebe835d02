import ArgumentParser
import Coordinator
import Foundation
import Shared

/// The whole SIUO sweep end to end (issue 7): a mock provider with 1 s
/// latency and per-model limits, a `siuo coordinator` child and `siuo worker`
/// children on a scratch database; wall time against the bound the rate
/// limits set, over-limit arrivals, 429s, CPU and peak RSS of every process.
struct SweepBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "A full SIUO sweep (3 targets, judge, MCQA) through coordinator and worker processes against the rate-limited mock provider.",
        discussion: """
            Defaults: 167 cases, 3 samples, targets 300 rpm and judge 1800 rpm, so the judge's ~2,700 requests \
            bind at about 90 s. With --adaptive the sweep names no rpm: the coordinator starts at 60/min and \
            climbs while the mock enforces the same limits; the bench samples each bucket's rate every second.
            """)

    @Option(help: "Cases (spread over the nine categories by their real sizes).") var cases = 167
    @Option(help: "Responses per generation case.") var samples = 3
    @Option(help: "Requests per minute of each target model (mock limit; the sweep's too unless --adaptive).") var rpm = 300.0
    @Option(name: .customLong("judge-rpm"), help: "Requests per minute of the judge.") var judgeRPM = 1800.0
    /// One token: the coordinator grants by the database's clock, and a grant
    /// reaches the mock after a lease response, a task hop and curl, a delay
    /// that varies by tens of ms; at 30 tokens/s one late batch followed by a
    /// prompt one bunches a token (seen: 1 over-limit arrival in 2,687 with 0).
    @Option(name: .customLong("limit-slack"), help: "Extra tokens the mock tolerates beyond its burst (network jitter).") var limitSlack = 1
    @Option(help: "Worker processes.") var workers = 2
    @Option(help: "Each worker's --concurrency.") var concurrency = 64
    @Option(name: .customLong("latency-ms"), help: "The mock's latency per request.") var latency = 1000
    @Option(help: "Give up after this many seconds.") var timeout = 1200.0
    @Flag(help: "The sweep names no rpm: measure how the rate converges (learned from limit headers, or probed).") var adaptive = false
    @Option(help: "The wire the models speak: mock (OpenAI's, with limit headers), anthropic (with limit headers) or gemini (no limit headers).")
    var wire: Provider = .mock
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Embedded cluster folder (default ./.siuo/postgres).", valueName: "dir"))
    var dataDirectory: String?

    func validate() throws {
        guard cases > 0, samples > 0, rpm > 0, judgeRPM > 0, workers > 0, concurrency > 0, latency >= 0, limitSlack >= 0 else {
            throw ValidationError("counts and limits must be positive")
        }
    }

    func run() async throws {
        let fixture = SweepBenchFixture(
            cases: cases, samples: samples, targetRPM: rpm, judgeRPM: judgeRPM, limitSlack: limitSlack,
            adaptive: adaptive, latencyMilliseconds: latency, wire: wire)
        let cluster = EmbeddedPostgres(directory: dataDirectory ?? EmbeddedPostgres.defaultDirectory())
        try await cluster.start()
        try await cluster.dropDatabase("siuo_bench_sweep")
        try await cluster.ensureDatabase("siuo_bench_sweep")
        let databaseURL = cluster.url(database: "siuo_bench_sweep")
        let pool = PostgresPool(url: databaseURL, size: 2)
        _ = try await Migrator(pool: pool).migrate()
        _ = try await DatasetStore(pool: pool).importDataset(fixture.dataset(), replace: true)

        let mockPort = try FreePort.find()
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("siuo-bench-sweep-mock-\(getpid()).json")
        try Data(fixture.mockConfig().utf8).write(to: config)
        defer { try? FileManager.default.removeItem(at: config) }
        let mocks = MockChildren()
        defer { mocks.stop() }
        try await mocks.start(addresses: ["127.0.0.1:\(mockPort)"], seed: 1, config: config.path)
        let mockBase = "http://127.0.0.1:\(mockPort)"

        let tokens = (worker: UUID().uuidString, admin: UUID().uuidString)
        let coordinator = try BenchChild(
            ["coordinator", "--database-url", databaseURL, "--listen", "127.0.0.1:0"],
            environment: ["SIUO_WORKER_TOKEN": tokens.worker, "SIUO_ADMIN_TOKEN": tokens.admin], waitForAddress: true)
        defer { coordinator.stop() }
        let base = coordinator.baseURL!
        let submitted = try await CoordinatorClient(baseURL: base, token: tokens.admin).submit(fixture.definition(mockURL: mockBase), replace: false)
        SweepBenchReport.header(fixture, jobs: submitted.jobs, workers: workers, concurrency: concurrency)

        var watch = SweepWatch(pool: pool, coordinator: coordinator)
        try await watch.begin()
        var children: [BenchChild] = []
        defer { children.forEach { $0.stop() } }
        for _ in 0..<workers {
            children.append(
                try BenchChild(
                    ["worker", "--coordinator", base, "--concurrency", String(concurrency), "--grace", "5"],
                    environment: ["SIUO_WORKER_TOKEN": tokens.worker, "ANTHROPIC_API_KEY": "sk-ant-bench", "GEMINI_API_KEY": "gm-bench"],
                    waitForAddress: false))
        }
        let outcome = try await watch.run(workers: children, timeout: .seconds(timeout), showRates: adaptive)
        let stats = try await MockStats.fetch(mockBase)
        children.forEach { $0.stop() }
        SweepBenchReport(fixture: fixture, outcome: outcome, stats: stats).print()
    }
}

extension Provider: ExpressibleByArgument {}
