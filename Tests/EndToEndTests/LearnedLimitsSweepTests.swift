import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Limits learned from a provider's headers through real processes
/// (docs/architecture.md, "Rate limits"): the sweep gives no rpm or tpm, the
/// mock enforces a token limit and states it; nothing arrives over it.
@Suite(.serialized) struct LearnedLimitsSweepTests {
    @Test func aTokenLimitStatedByTheProviderIsNeverExceeded() async throws {
        guard SiuoProcess.requireBinary() else { return }
        // About 330 input tokens a request (prompt and one image): 12,000 tokens
        // a minute is about 36 requests a minute, 2,000 tokens (6 requests) at once:
        // below the rate an unknown endpoint starts at (60 a minute).
        let cluster = try await SweepCluster(
            suite: "e2e_learned_tpm", mockConfig: #"{"latency_ms": {"mean": 20, "jitter": 10}, "models": {"heavy": {"tpm": 12000}}}"#)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: 15)
        let model = ModelSpec(name: "heavy", provider: .mock, model: "heavy", baseURL: cluster.mockURL + "/v1", maxTokens: 50)
        try await cluster.submit(
            SweepDefinition(
                name: "tpm", dataset: DatasetReference(name: "fixture"), tasks: [.mcqa], samples: 1, cache: false, models: [model]))
        try cluster.startWorker(concurrency: 16)
        try await cluster.waitUntilFinished()
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)

        let stats = try await cluster.mockStats()
        let heavy = try #require((stats["models"] as? [String: Any])?["heavy"] as? [String: Any])
        #expect(heavy["over_token_limit"] as? Int == 0, "nothing arrived over the token limit: \(heavy)")
        let bucket = try await cluster.pool.query(
            "SELECT learned_tpm, tpm, siuo_limit_source(configured_tpm, learned_tpm) AS source FROM rate_buckets WHERE model = 'heavy'")[0]
        #expect(try bucket.decode(Double?.self, "learned_tpm") == 12000)
        #expect(try bucket.decode(Double?.self, "tpm").map { abs($0 - 11400) < 1e-6 } == true)
        #expect(try bucket.decode(String.self, "source") == "headers")
        let status = try await TestCoordinator.admin(cluster.coordinator.baseURL).status("tpm")
        let limit = try #require(status.limits.first { $0.model == "heavy" })
        #expect(limit.tpmSource == "headers" && limit.rpmSource == "probed", "\(limit)")
        #expect(EndpointLimit.lines(status.limits)[0].contains("heavy") && EndpointLimit.lines(status.limits)[0].contains("(headers)"))
    }
}
