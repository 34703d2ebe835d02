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
    static func definition(name: String, mockURL: String, batch: Bool, cases: Int? = nil) -> SweepDefinition {
        let settings = BatchSettings(maxRequests: 1000, maxBytes: 20_000_000, maxWaitSeconds: 2, deadlineSeconds: 3600)
        func model(_ name: String, _ provider: Provider, _ baseURL: String) -> ModelSpec {
            ModelSpec(
                name: name, provider: provider, model: name, baseURL: baseURL, temperature: 1, maxTokens: 200,
                price: Price(inputPerMTok: 2, outputPerMTok: 10), batch: batch ? settings : nil)
        }
        return SweepDefinition(
            name: name, dataset: DatasetReference(name: "fixture"), tasks: [.generation, .mcqa], samples: 2, cache: false,
            leaseTTLSeconds: 10, maxAttempts: 5,
            models: [
                model("gpt-batch", .openai, mockURL + "/v1"), model("claude-batch", .anthropic, mockURL),
                model("gemini-batch", .gemini, mockURL),
            ],
            judge: model("judge-batch", .openai, mockURL + "/v1"))
    }

    @Test func aBatchSweepReportsWhatTheLiveSweepReportsAtHalfTheCost() async throws {
        guard SiuoProcess.binary != nil else {
            Issue.record("build siuo first (swift build)")
            return
        }
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
        #expect(try await cluster.waitUntilFinished(limit: .seconds(240)))
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
        let status = try await admin.status("batched")
        #expect(!status.batches.isEmpty && status.batches.allSatisfy { $0.state == "collected" && $0.providerBatchID != nil })
    }
}
