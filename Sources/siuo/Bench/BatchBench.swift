import ArgumentParser
import Coordinator
import Foundation
import Shared

/// Batch mode against live (docs/architecture.md, "Batch mode"): the SIUO
/// shape with an OpenAI, an Anthropic and a Gemini target and a judge, all
/// through the mock provider's batch APIs with a fixed batch delay, then the
/// same sweep live; wall time, requests per batch, and what each cost.
struct BatchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract:
            "A full SIUO sweep through the mock's batch APIs (OpenAI, Anthropic, Gemini wire), then the same sweep live: wall time, lines per batch, cost.",
        discussion: """
            Defaults: 167 cases, 3 samples, a 30 s batch delay, the judge batched too; the live sweep runs after \
            at the same limits as `siuo bench sweep` (targets 300 rpm, judge 1800 rpm). Goals: batch cost at most \
            0.52 of live; batch wall time at most the delay plus 60 s. Judge re-asks (a first answer with no \
            readable verdict) always go live, at full price: --reliable-judge shows the batched requests alone.

            \(SiuoExit.discussion())
            """)

    @Option(help: "Cases (spread over the nine categories by their real sizes).") var cases = 167
    @Option(help: "Responses per generation case.") var samples = 3
    @Option(name: .customLong("batch-delay"), help: "Seconds the mock takes to end a batch.") var batchDelay = 30.0
    @Flag(name: .customLong("live-judge"), help: "Send the judge live (only the targets batched).") var liveJudge = false
    @Flag(name: .customLong("skip-live"), help: "Skip the live sweep (no cost comparison).") var skipLive = false
    @Flag(
        name: .customLong("reliable-judge"),
        help: "The mock judge always answers its first ask with a verdict (no live re-asks; by default 7% of first asks need one).")
    var reliableJudge = false
    @Option(help: "Worker processes.") var workers = 2
    @Option(help: "Each worker's --concurrency.") var concurrency = 64
    @Option(help: "Give up on a sweep after this many seconds.") var timeout = 900.0
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Embedded cluster folder (default ./.siuo/postgres).", valueName: "dir"))
    var dataDirectory: String?

    func validate() throws {
        guard cases > 0, samples > 0, batchDelay >= 0, workers > 0, concurrency > 0, timeout > 0 else {
            throw ValidationError("counts and times must be positive")
        }
    }

    /// The mock's limits for the live sweep, as `siuo bench sweep` sets them.
    var fixture: SweepBenchFixture {
        SweepBenchFixture(
            cases: cases, samples: samples, targetRPM: 300, judgeRPM: 1800, limitSlack: 1, adaptive: false, latencyMilliseconds: 1000)
    }

    /// Typical list prices per million tokens (input, output).
    static let price = Price(inputPerMTok: 2.5, outputPerMTok: 10)
    static let providers: [Provider] = [.openai, .anthropic, .gemini]

    func definition(name: String, mockURL: String, batch: Bool) -> SweepDefinition {
        let settings = BatchSettings(maxRequests: 50_000, maxBytes: 20_000_000, maxWaitSeconds: 60, deadlineSeconds: 86_400)
        func spec(_ name: String, _ provider: Provider, rpm: Double, batched: Bool) -> ModelSpec {
            ModelSpec(
                name: name, provider: provider, model: name, baseURL: provider == .openai ? mockURL + "/v1" : mockURL, maxTokens: 200,
                rpm: rpm, burst: SweepBenchFixture.burst(rpm: rpm), price: Self.price, batch: batched ? settings : nil)
        }
        let targets = zip(SweepBenchFixture.targets, Self.providers).map { spec($0, $1, rpm: 300, batched: batch) }
        return SweepDefinition(
            name: name, dataset: DatasetReference(name: "bench-siuo"), tasks: [.generation, .mcqa], samples: samples, cache: false,
            models: targets, judge: spec(SweepBenchFixture.judge, .openai, rpm: 1800, batched: batch && !liveJudge))
    }

    func run() async throws {
        var mockConfig = fixture.mockConfig()
        if reliableJudge {
            mockConfig = mockConfig.replacingOccurrences(of: #""role": "judge","#, with: #""role": "judge", "unparseable": 0, "refusal": 0,"#)
        }
        let scene = try await BenchScene(
            database: "siuo_bench_batch", directory: dataDirectory, dataset: fixture.dataset(),
            mockConfig: "{\"batch_delay_s\": \(batchDelay), " + mockConfig.dropFirst())
        try await scene.whileRunning {
            let (admin, pool, mockBase) = (scene.admin, scene.pool, scene.mockBase)
            try await scene.startWorkers(workers, concurrency: concurrency)

            print(
                "siuo bench batch: \(cases) cases × \(samples) samples, targets on the OpenAI, Anthropic and Gemini batch wire, judge \(liveJudge ? "live" : "batched")\(reliableJudge ? " (always readable)" : ""), batch delay \(batchDelay) s, \(workers) workers"
            )
            let batched = try await sweep(definition(name: "bench-batch", mockURL: mockBase, batch: true), admin: admin, pool: pool)
            print(
                String(
                    format: "batch sweep   wall %.1f s (goal ≤ %.0f s, the delay + 60 s; %@)", batched.wall, batchDelay + 60,
                    liveJudge ? "one batch round, judging live" : "two batch rounds: answers, then their verdicts"))
            let lines = try await pool.query(
                "SELECT count(*)::int AS n, coalesce(sum(lines_total), 0)::int AS lines, coalesce(max(lines_total), 0)::int AS most FROM batches")[0]
            let batches = try lines.decode(Int.self, "n")
            let lineCount = try lines.decode(Int.self, "lines")
            print(
                String(
                    format: "              %d batches, %.0f lines per batch (largest %d); %d requests, %d through batches, %d live (judge re-asks)",
                    batches, batches == 0 ? 0 : Double(lineCount) / Double(batches), try lines.decode(Int.self, "most"), batched.requests,
                    batched.batchRequests, batched.requests - batched.batchRequests))
            print(String(format: "              cost $%.4f", batched.cost))
            guard !skipLive else { return }
            let live = try await sweep(definition(name: "bench-live", mockURL: mockBase, batch: false), admin: admin, pool: pool)
            print(String(format: "live sweep    wall %.1f s, %d requests, cost $%.4f", live.wall, live.requests, live.cost))
            print(
                String(
                    format: "batch / live  cost %.3f (goal ≤ 0.52), wall %.2f", batched.cost / max(live.cost, 1e-12),
                    batched.wall / max(live.wall, 1e-9))
            )
        }
    }

    /// What one sweep took.
    struct Figures {
        var wall: Double
        var requests: Int
        var batchRequests: Int
        var cost: Double
    }

    /// Submits `definition` and waits until every job of it has finished.
    func sweep(_ definition: SweepDefinition, admin: CoordinatorClient, pool: PostgresPool) async throws -> Figures {
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await admin.submit(definition, replace: false)
        while true {
            let status = try await admin.status(definition.name)
            if status.state.isComplete { break }
            guard clock.now - start < .seconds(timeout) else { throw RunError("\(definition.name) did not finish within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(250))
        }
        let wall = (clock.now - start).seconds
        let row = try await pool.query(
            """
            SELECT sum(j.requests)::int AS requests, sum(j.batch_requests)::int AS batched, sum(j.cost_usd)::float8 AS cost
            FROM jobs j JOIN sweeps s ON s.id = j.sweep_id WHERE s.name = $1
            """, [definition.name])[0]
        return Figures(
            wall: wall, requests: try row.decode(Int.self, "requests"), batchRequests: try row.decode(Int.self, "batched"),
            cost: try row.decode(Double.self, "cost"))
    }
}
