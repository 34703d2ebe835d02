import ArgumentParser
import Coordinator
import Foundation
import Hummingbird
import Shared

/// One `siuo worker` process against the mock provider (1 s latency, no
/// rate limit), fed by an in-process coordinator: provider requests per
/// second with `--in-flight` requests at once, CPU time per request, peak RSS.
struct WorkerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Requests per second, CPU per request and peak RSS of one worker process against the mock provider.",
        discussion: SiuoExit.discussion())

    @Option(help: "MCQA jobs (one request each).") var jobs = 20_000
    @Option(name: .customLong("in-flight"), help: "The worker's --concurrency.") var inFlight = 1_000
    @Option(name: .customLong("latency-ms"), help: "The mock's latency per request.") var latency = 1_000
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Embedded cluster folder (default ./.siuo/postgres).", valueName: "dir"))
    var dataDirectory: String?

    func run() async throws {
        let cluster = EmbeddedPostgres(directory: dataDirectory ?? EmbeddedPostgres.defaultDirectory())
        try await cluster.start()
        try await cluster.dropDatabase("siuo_bench_worker")
        try await cluster.ensureDatabase("siuo_bench_worker")
        let pool = PostgresPool(url: cluster.url(database: "siuo_bench_worker"), size: 12)
        try await Migrator(pool: pool).migrate()

        let port = try FreePort.find()
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("siuo-bench-mock-\(getpid()).json")
        try Data(#"{"latency_ms": {"mean": \#(latency), "jitter": 0}}"#.utf8).write(to: config)
        let mocks = MockChildren()
        do {
            try await mocks.start(addresses: ["127.0.0.1:\(port)"], seed: 1, config: config.path)
            try await measure(pool: pool, mockPort: port)
        } catch {
            await mocks.stop()
            throw error
        }
        await mocks.stop()
    }

    /// Runs the jobs through one worker child against an in-process coordinator on `pool`, and prints the figures.
    private func measure(pool: PostgresPool, mockPort port: Int) async throws {
        _ = try await BenchFixture.prepare(pool: pool, jobs: jobs, baseURL: "http://127.0.0.1:\(port)/v1")
        let total = try await pool.query(BenchSQL.progress)[0].decode(Int.self, "total")
        Console.line(
            "siuo bench worker: \(total) mcqa jobs, one worker process with concurrency \(inFlight), mock latency \(latency) ms, no rate limit")

        let api = CoordinatorAPI(
            pool: pool, tokens: try APITokens(worker: "bench", admin: "bench-admin"), latestMigration: try Migrator(pool: pool).latestVersion)
        try await LoopbackServer.with(api) { base in
            let worker = try await BenchChild.start(
                ["worker", "--coordinator", base, "--concurrency", String(inFlight), "--grace", "5"],
                environment: ["SIUO_WORKER_TOKEN": "bench"], waitForAddress: false)
            let clock = ContinuousClock()
            let start = clock.now
            var usage = worker.usage
            var lastDone = 0
            var nextReport = start + .seconds(5)
            while true {
                let done = try await pool.query(BenchSQL.progress)[0].decode(Int.self, "done")
                usage = worker.usage ?? usage
                if clock.now >= nextReport {
                    Console.line("  \(done)/\(total) done, \(String(format: "%.0f", Double(done - lastDone) / 5)) req/s over the last 5 s")
                    lastDone = done
                    nextReport = clock.now + .seconds(5)
                }
                if done >= total { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let elapsed = (clock.now - start).seconds
            await worker.stop()
            let cpu = usage?.cpuSeconds ?? 0
            let rate = Double(total) / elapsed
            Console.line(
                String(
                    format: "worker: %.0f requests/s with %d in flight (ideal %.0f/s), %.0f s wall",
                    rate, inFlight, Double(inFlight) * 1000 / Double(latency), elapsed))
            Console.line(
                String(
                    format: "worker: %.3f ms CPU per request (%.1f s CPU, %.0f%% of one core), peak RSS %.0f MB",
                    cpu / Double(total) * 1000, cpu, cpu / elapsed * 100, Double(usage?.peakResidentBytes ?? 0) / 1_048_576))
        }
    }
}
