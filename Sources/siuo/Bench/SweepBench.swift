import ArgumentParser
import Coordinator
import Foundation
import Shared

/// The whole SIUO sweep end to end: a mock provider with 1 s
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

            \(SiuoExit.discussion())
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
        let scene = try await BenchScene(
            database: "siuo_bench_sweep", directory: dataDirectory, dataset: fixture.dataset(), mockConfig: fixture.mockConfig())
        try await scene.whileRunning {
            let submitted = try await scene.admin.submit(fixture.definition(mockURL: scene.mockBase), replace: false)
            SweepBenchReport.header(fixture, jobs: submitted.jobs, workers: workers, concurrency: concurrency)

            var watch = SweepWatch(pool: scene.pool, coordinator: scene.coordinator)
            try await watch.begin()
            try await scene.startWorkers(workers, concurrency: concurrency)
            let outcome = try await watch.run(workers: scene.workers, timeout: .seconds(timeout), showRates: adaptive)
            let stats = try await MockStats.fetch(scene.mockBase)
            await scene.stopWorkers()
            SweepBenchReport(fixture: fixture, outcome: outcome, stats: stats).print()
        }
    }
}

extension Provider: ExpressibleByArgument {}
