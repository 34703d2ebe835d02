import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing
import Worker

/// A `siuo worker --metrics-listen` child running a sweep against the mock
/// provider: its `/metrics` counts every request the mock saw, per endpoint
/// and status class, and its tokens, spend and retries add up to what the
/// coordinator recorded; `/readyz` says it reaches the coordinator.
@Suite(.serialized) struct WorkerMetricsSweepTests {
    static let mockConfig = """
        {"latency_ms": {"mean": 120, "jitter": 80},
         "models": {"model-a": {"faults": {"status_500": 0.3, "spurious_429": 0.1}},
                    "model-b": {"faults": {"status_503": 0.25}},
                    "judge": {}}}
        """

    static func definition(mockURL: String) -> SweepDefinition {
        func model(_ name: String, price: Price? = nil) -> ModelSpec {
            ModelSpec(
                name: name, provider: .mock, model: name, baseURL: mockURL + "/v1", temperature: 1, maxTokens: 200,
                rpm: 6000, burst: 50, price: price)
        }
        return SweepDefinition(
            name: "worker-metrics", dataset: DatasetReference(name: "fixture"), tasks: [.generation, .mcqa],
            samples: 2, leaseTTLSeconds: 30, maxAttempts: 6,
            models: [model("model-a", price: Price(inputPerMTok: 2.5, outputPerMTok: 10)), model("model-b")],
            judge: model("judge", price: Price(inputPerMTok: 1, outputPerMTok: 4)))
    }

    /// The mock's requests of `model` by HTTP status.
    static func mockStatuses(_ stats: [String: Any], model: String) -> [Int: Int] {
        let models = stats["models"] as? [String: Any] ?? [:]
        let counters = models[model] as? [String: Any] ?? [:]
        let byStatus = counters["by_status"] as? [String: Int] ?? [:]
        return Dictionary(uniqueKeysWithValues: byStatus.compactMap { key, value in Int(key).map { ($0, value) } })
    }

    static func mockRequests(_ stats: [String: Any], model: String) -> Int {
        let models = stats["models"] as? [String: Any] ?? [:]
        return (models[model] as? [String: Any])?["requests"] as? Int ?? 0
    }

    @Test func theWorkersMetricsCountWhatTheMockSawPerEndpoint() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let cluster = try await SweepCluster(suite: "e2e_worker_metrics", mockConfig: Self.mockConfig)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: 8)
        try await cluster.submit(Self.definition(mockURL: cluster.mockURL))
        // Four jobs held back until the checks during the sweep are made: the sweep cannot end first.
        try await HeldJobs.hold(4, in: cluster.pool)
        let metricsURL = try #require(try cluster.startWorker(concurrency: 8, metrics: true))
        typealias Name = WorkerMetrics.Name
        let models = ["model-a", "model-b", "judge"]

        // During the sweep: ready, and never more counted than the mock saw
        // (the worker counts a request once answered; the mock when it arrives).
        try await waitUntil("15 jobs are done") { try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state = 'done'") >= 15 }
        #expect(try await Probe.get(metricsURL + "/healthz").status == 200)
        #expect(try await Probe.get(metricsURL + "/readyz").status == 200)
        let during = PrometheusText(try await Probe.get(metricsURL + "/metrics").body)
        let statsDuring = try await cluster.mockStats()
        #expect((during.value(Name.requests) ?? 0) > 0)
        #expect(during.value(Name.inFlight) != nil)
        for model in models {
            #expect(Int(during.value(Name.requests, ["model": model]) ?? 0) <= Self.mockRequests(statsDuring, model: model), "\(model)")
        }
        #expect(
            try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased')") > 0,
            "the checks above ran during the sweep")
        try await HeldJobs.release(in: cluster.pool)

        try await cluster.waitUntilFinished()
        let page = PrometheusText(try await Probe.get(metricsURL + "/metrics").body)
        let stats = try await cluster.mockStats()
        #expect(page.labelValues(Name.requests, "model") == Set(models))
        for model in models {
            let labels = ["provider": "mock", "model": model]
            let requests = Int(page.value(Name.requests, labels) ?? -1)
            #expect(requests == Self.mockRequests(stats, model: model), "\(model)")
            #expect(requests > 0, "\(model)")
            // Each status class as the mock answered it.
            var classes: [String: Int] = [:]
            for (status, count) in Self.mockStatuses(stats, model: model) { classes["\(status / 100)xx", default: 0] += count }
            for statusClass in ["2xx", "4xx", "5xx"] {
                let counted = Int(page.value(Name.requests, labels.merging(["status_class": statusClass]) { $1 }) ?? 0)
                #expect(counted == classes[statusClass, default: 0], "\(model) \(statusClass)")
            }
            #expect(Int(page.value(Name.throttles, labels) ?? 0) == Self.mockStatuses(stats, model: model)[429, default: 0], "\(model)")
            #expect(page.value(Name.requests, labels.merging(["status_class": "transport"]) { $1 }) == nil, "\(model)")
            #expect(Int(page.value(Name.requestSeconds + "_count", labels) ?? 0) == requests, "\(model)")
            #expect(page.value(Name.inFlight, labels) == 0, "\(model)")
        }
        // The faults showed (a 30 % and a 25 % share of 16 requests or more: never none in practice).
        #expect((page.value(Name.requests, ["status_class": "5xx"]) ?? 0) > 0)

        // Tokens, spend and retries: as the coordinator summed the worker's reports.
        let usage = try await cluster.pool.query(
            """
            SELECT coalesce(sum(input_tokens), 0)::bigint AS input, coalesce(sum(output_tokens), 0)::bigint AS output,
                   coalesce(sum(retries), 0)::bigint AS retries, coalesce(sum(cost_usd), 0)::float8 AS cost FROM jobs
            """)[0]
        #expect(page.value(Name.tokens, ["direction": "input"]).map { Int64($0) } == (try usage.decode(Int64.self, "input")))
        #expect(page.value(Name.tokens, ["direction": "output"]).map { Int64($0) } == (try usage.decode(Int64.self, "output")))
        #expect(page.value(Name.retries).map { Int64($0) } == (try usage.decode(Int64.self, "retries")))
        let cost = try usage.decode(Double.self, "cost")
        #expect(cost > 0)
        #expect(abs((page.value(Name.spend) ?? 0) - cost) < 1e-9)
        #expect(page.value(Name.spend, ["model": "model-b"]) == 0)

        // Every ending reached the coordinator: none waits.
        try await waitUntil("no ending waits in the worker's outbox", every: .milliseconds(100)) {
            PrometheusText(try await Probe.get(metricsURL + "/metrics").body).value(Name.outbox) == 0
        }

        // SIGTERM stops the worker and its probes cleanly.
        #expect(cluster.workers[0].stop() == 0)
        await #expect(throws: (any Error).self) { try await Probe.get(metricsURL + "/healthz") }
    }
}
