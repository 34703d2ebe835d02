import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Batch mode through real processes (docs/architecture.md, "Batch mode"): a
/// coordinator, worker processes and the mock provider's three batch APIs.
@Suite(.serialized) struct BatchSweepTests {
    /// Keys the workers hold for the three providers (the mock takes any).
    static let keys = ["OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "sk-ant-test", "GEMINI_API_KEY": "gm-test"]

    /// An OpenAI, an Anthropic and a Gemini target and an OpenAI-wire judge, all on the mock, priced.
    static func definition(name: String, mockURL: String, batch: Bool, maxAttempts: Int = 5) -> SweepDefinition {
        let settings = BatchSettings(maxRequests: 1000, maxBytes: 20_000_000, maxWaitSeconds: 2, deadlineSeconds: 3600)
        func model(_ name: String, _ provider: Provider, _ baseURL: String) -> ModelSpec {
            ModelSpec(
                name: name, provider: provider, model: name, baseURL: baseURL, temperature: 1, maxTokens: 200,
                rpm: 100_000, burst: 1000, price: Price(inputPerMTok: 2, outputPerMTok: 10), batch: batch ? settings : nil)
        }
        return SweepDefinition(
            name: name, dataset: DatasetReference(name: "fixture"), tasks: [.generation, .mcqa], samples: 2, cache: false,
            leaseTTLSeconds: 10, maxAttempts: maxAttempts,
            models: [
                model("gpt-batch", .openai, mockURL + "/v1"), model("claude-batch", .anthropic, mockURL),
                model("gemini-batch", .gemini, mockURL),
            ],
            judge: model("judge-batch", .openai, mockURL + "/v1"))
    }

    @Test func aBatchSweepReportsWhatTheLiveSweepReportsAtHalfTheCost() async throws {
        guard SiuoProcess.requireBinary() else { return }
        // The judge always gives a verdict at the first ask: re-asks go live at
        // full price (by design), and this test is about the batched requests.
        let mockConfig = #"""
            {"latency_ms": {"mean": 5, "jitter": 5}, "batch_delay_s": 2,
             "models": {"judge-batch": {"role": "judge", "unparseable": 0, "refusal": 0}}}
            """#
        let cluster = try await SweepCluster(suite: "e2e_batch_equal", mockConfig: mockConfig)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: 10)
        try await cluster.submit(Self.definition(name: "live", mockURL: cluster.mockURL, batch: false))
        try await cluster.submit(Self.definition(name: "batched", mockURL: cluster.mockURL, batch: true))
        try cluster.startWorker(concurrency: 16, environment: Self.keys)
        try cluster.startWorker(concurrency: 16, environment: Self.keys)
        try await cluster.waitUntilFinished()
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)

        let admin = TestCoordinator.admin(cluster.coordinator.baseURL)
        let live = try await admin.report("live")
        let batched = try await admin.report("batched")
        #expect(live.models.map(\.model) == batched.models.map(\.model))
        for (l, b) in zip(live.models, batched.models) {
            #expect(b.generation == l.generation, "\(b.model): generation rates and intervals")
            #expect(b.mcqa == l.mcqa, "\(b.model): MCQA")
            #expect(b.outcomes == l.outcomes, "\(b.model): outcomes")
            #expect(b.judgedVerdicts == l.judgedVerdicts && b.judgeFailureRate == l.judgeFailureRate)
            #expect(b.usage.inputTokens == l.usage.inputTokens && b.usage.outputTokens == l.usage.outputTokens)
            #expect(b.usage.batchRequests == b.usage.requests && l.usage.batchRequests == 0, "\(b.model): every target request went through a batch")
            #expect(abs(b.usage.costUSD - l.usage.costUSD / 2) < 1e-9, "\(b.model): half price")
        }
        let liveCost = live.models.reduce(0) { $0 + $1.usage.costUSD + $1.judgeUsage.costUSD }
        let batchCost = batched.models.reduce(0) { $0 + $1.usage.costUSD + $1.judgeUsage.costUSD }
        #expect(liveCost > 0 && abs(batchCost - liveCost / 2) < 1e-9, "cost \(batchCost) against \(liveCost) live")
        #expect(batched.models.allSatisfy { $0.judgeUsage.batchRequests == $0.judgeUsage.requests && $0.judgeUsage.requests > 0 })

        let stats = try await cluster.mockStats()
        let batches = try #require(stats["batches"] as? [String: Any])
        let created = try #require(batches["created"] as? [String: Int])
        #expect((created["openai"] ?? 0) >= 2 && (created["anthropic"] ?? 0) >= 1 && (created["gemini"] ?? 0) >= 1, "\(created)")
        #expect(batches["duplicate_paid_lines"] as? Int == 0)
        let metrics = try await TestHTTP.send(cluster.coordinator.baseURL + "/metrics").text
        let collected = try await cluster.count("SELECT count(*) AS n FROM batches WHERE state = 'collected'")
        #expect(metrics.contains(#"siuo_batches{scope="cluster",state="collected"} \#(collected)"#), "/metrics counts batches by state")
        #expect(metrics.contains(#"siuo_batches{scope="cluster",state="running"} 0"#))
        let status = try await admin.status("batched")
        #expect(!status.batches.isEmpty && status.batches.allSatisfy { $0.state == .collected && $0.providerBatchID != nil })
    }

    /// One batch model on the mock: `provider`'s batch wire, one sample, its own mock profile by name.
    /// A batch forms once every batch-lane job of the model is waiting in it (an hour's `batch_max_wait`
    /// never comes first), so a worker slowed between its deferrals cannot split one batch in two.
    static func single(_ name: String, model: String, provider: Provider, mockURL: String, deadlineSeconds: Double = 3600) -> SweepDefinition {
        let baseURL = provider == .openai ? mockURL + "/v1" : mockURL
        let spec = ModelSpec(
            name: model, provider: provider, model: model, baseURL: baseURL, maxTokens: 200,
            batch: BatchSettings(maxRequests: 1000, maxBytes: 20_000_000, maxWaitSeconds: 3600, deadlineSeconds: deadlineSeconds))
        return SweepDefinition(
            name: name, dataset: DatasetReference(name: "fixture"), tasks: [.mcqa], samples: 1, cache: false, leaseTTLSeconds: 10,
            maxAttempts: 5, models: [spec])
    }

    /// Line errors are retried in a later batch and succeed; an expired
    /// batch's jobs complete live; a batch past `batch_deadline` is cancelled
    /// and its jobs complete live. Three sweeps, one cluster.
    @Test func errorsRetryInALaterBatchAndExpiredOrLateBatchesFinishLive() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let mockConfig = #"""
            {"latency_ms": {"mean": 5, "jitter": 5}, "batch_delay_s": 1,
             "models": {"flaky": {"batch_line_errors": 0.5}, "expiring": {"batch_expiry": "unanswered"},
                        "slow": {"batch_delay_s": 600}}}
            """#
        let cluster = try await SweepCluster(suite: "e2e_batch_faults", mockConfig: mockConfig)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: 8)
        try await cluster.submit(Self.single("errors", model: "flaky", provider: .anthropic, mockURL: cluster.mockURL))
        try await cluster.submit(Self.single("expiry", model: "expiring", provider: .gemini, mockURL: cluster.mockURL))
        try await cluster.submit(Self.single("deadline", model: "slow", provider: .openai, mockURL: cluster.mockURL, deadlineSeconds: 4))
        try cluster.startWorker(concurrency: 8, environment: Self.keys)
        try await cluster.waitUntilFinished()
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs j WHERE (SELECT count(*) FROM responses r WHERE r.job_id = j.id) <> 1") == 0)

        func perSweep(_ sweep: String, _ expression: String) async throws -> Int {
            try await cluster.count("SELECT \(expression)::int AS n FROM jobs j JOIN sweeps s ON s.id = j.sweep_id WHERE s.name = '\(sweep)'")
        }
        // Errors: every job answered through a batch, some on a second batch after an errored line (an attempt each).
        #expect(try await perSweep("errors", "sum(j.batch_requests - (j.requests - j.batch_requests))") > 0)
        #expect(try await perSweep("errors", "count(*) FILTER (WHERE j.lane = 'live')") == 0, "errored lines retry in a batch, not live")
        #expect(try await perSweep("errors", "count(*) FILTER (WHERE j.attempts > 0)") > 0, "some lines errored and were retried")
        #expect(try await perSweep("errors", "sum(j.requests - j.batch_requests)") == 0, "no live request")
        // Expiry and deadline: the jobs ran live after their batch ended unanswered.
        for sweep in ["expiry", "deadline"] {
            #expect(try await perSweep(sweep, "count(*) FILTER (WHERE j.lane = 'live')") == 8, "\(sweep): every job moved to the live lane")
            #expect(try await perSweep(sweep, "sum(j.batch_requests)") == 0, "\(sweep): nothing answered by the batch")
        }
        let cancelled = try await cluster.count(
            "SELECT count(*) AS n FROM batches b JOIN models m ON m.id = b.model_id WHERE m.name = 'slow' AND b.cancel_requested")
        #expect(cancelled == 1, "the late batch was cancelled at the provider")
        let stats = try await cluster.mockStats()
        let batches = try #require(stats["batches"] as? [String: Any])
        #expect((batches["lines_errored"] as? Int ?? 0) > 0)
        #expect(batches["duplicate_paid_lines"] as? Int == 0)
    }

    /// Workers killed with SIGKILL again and again while batches are built,
    /// submitted, polled and collected: the sweep completes, every job has
    /// exactly one result, and no request is paid for in two batches. CI runs
    /// 12 cases; `scripts/chaos.sh` runs `SIUO_CHAOS_CASES` (180).
    @Test func killedWorkersLoseNothingAndPayForNothingTwice() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let cluster = try await SweepCluster(suite: "e2e_batch_chaos", mockConfig: #"{"latency_ms": {"mean": 5, "jitter": 5}, "batch_delay_s": 2}"#)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: Int(ProcessInfo.processInfo.environment["SIUO_CHAOS_CASES"] ?? "") ?? 12)
        // Every kill costs the leases the worker held an attempt: allow many, as the other chaos test does.
        try await cluster.submit(Self.definition(name: "chaos", mockURL: cluster.mockURL, batch: true, maxAttempts: 50))
        // Four jobs held back until the workers have been killed a few times: the sweep cannot end first.
        try await HeldJobs.hold(4, in: cluster.pool)
        for _ in 0..<3 { try cluster.startWorker(concurrency: 8, environment: Self.keys) }
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        let open = "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased', 'batched')"
        // Progress that only grows: jobs done, and each batch's step (running, ended, collected).
        let progressMade = """
            SELECT (SELECT count(*) FROM jobs WHERE state = 'done')
                 + (SELECT coalesce(sum(CASE state WHEN 'running' THEN 1 WHEN 'ended' THEN 2 WHEN 'collected' THEN 3 ELSE 0 END), 0)
                    FROM batches) AS n
            """
        var progress = try await cluster.count(progressMade)
        while try await cluster.count(open) > 0 {
            if kills == 8 { try await HeldJobs.release(in: cluster.pool) }
            // Kills are paced by work, not by a clock: before each, the sweep has moved on since the last (or
            // has nothing left to do but the held jobs), so however slow the machine, workers live long enough.
            let before = progress
            try await waitUntil("the sweep progresses since the last kill", every: .milliseconds(100)) {
                progress = try await cluster.count(progressMade)
                if progress > before { return true }
                return try await cluster.count(open + " AND not_before < now() + interval '12 hours'") == 0
            }
            let victim = Int.random(in: 0..<cluster.workers.count, using: &generator)
            cluster.workers[victim].kill()
            cluster.workers.remove(at: victim)
            kills += 1
            try cluster.startWorker(concurrency: 8, environment: Self.keys)
        }
        #expect(kills > 5)
        try await cluster.waitUntilFinished()
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        #expect(
            try await cluster.count(
                """
                SELECT count(*) AS n FROM jobs j WHERE j.kind IN ('generate', 'mcqa')
                  AND (SELECT count(*) FROM responses r WHERE r.job_id = j.id) <> CASE j.kind WHEN 'generate' THEN 2 ELSE 1 END
                """) == 0)
        #expect(
            try await cluster.count(
                "SELECT count(*) AS n FROM jobs j WHERE j.kind LIKE 'judge%' AND (SELECT count(*) FROM verdicts v WHERE v.job_id = j.id) <> 1") == 0)
        let stats = try await cluster.mockStats()
        let batches = try #require(stats["batches"] as? [String: Any])
        #expect(batches["duplicate_paid_lines"] as? Int == 0, "no custom_id answered in two batches")
        // Every batch the mock created is one the coordinator knows (none orphaned and paid for).
        let created = (batches["created"] as? [String: Int] ?? [:]).values.reduce(0, +)
        let known = try await cluster.count("SELECT count(*) AS n FROM batches WHERE provider_batch_id IS NOT NULL")
        #expect(created == known, "the mock created \(created) batches, the coordinator knows \(known)")
    }
}
