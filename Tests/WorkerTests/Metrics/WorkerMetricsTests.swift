import Foundation
import LoopbackHTTP
import Prometheus
import Shared
import SiuoTestSupport
import Testing

@testable import Worker

/// `WorkerMetrics` recording into a real Prometheus registry: provider
/// exchanges through `ModelGateway` over loopback HTTP, the other hooks
/// directly, and the probes a worker serves.
struct WorkerMetricsTests {
    static let price = Price(inputPerMTok: 2, outputPerMTok: 10)

    static func model(_ name: String, baseURL: String, price: Price? = nil) -> ModelSpec {
        ModelSpec(name: name, provider: .openai, model: name, baseURL: baseURL, price: price)
    }

    static func call(_ model: ModelSpec) -> ModelCall {
        ModelCall(
            model: model, prompt: "Describe this.", image: ProviderFixtures.image, imageMediaType: "image/png",
            firstSample: 0, count: 1, temperature: 0.7, maxTokens: 100)
    }

    @Test func eachExchangeCountsByEndpointStatusClassWithTokensSpendLatencyAndThrottles() async throws {
        let provider = ScriptedProvider { arrival, _ in
            switch arrival.model {
            case "busy":
                ScriptedProvider.Answer(
                    status: 429, headers: ["retry-after": "1"], body: #"{"error":{"message":"Rate limit reached","type":"requests"}}"#)
            case "broken": ScriptedProvider.Answer(status: 503, body: #"{"error":{"message":"overloaded"}}"#)
            // Held until the test has seen it in flight (a loaded machine may take long to look).
            case "slow": ScriptedProvider.Answer(body: ScriptedProvider.completion(["late"]), delay: .seconds(3600))
            default: ScriptedProvider.Answer(body: ScriptedProvider.completion(["fine"]))
            }
        }
        let registry = PrometheusCollectorRegistry()
        let metrics = WorkerMetrics.prometheus(registry)
        let gateway = ModelGateway(keys: KeyRing(environment: ["OPENAI_API_KEY": "sk-test"]), requestTimeout: 600, metrics: metrics)
        try await Loopback.serve(router: provider.router, beforeShutdown: { provider.releaseDelays() }) { url in
            let good = Self.model("good", baseURL: url + "/v1", price: Self.price)
            for _ in 0..<2 { _ = try await gateway.send(Self.call(good)) }
            _ = try await gateway.send(Self.call(Self.model("busy", baseURL: url + "/v1")))
            _ = try await gateway.send(Self.call(Self.model("broken", baseURL: url + "/v1")))
            // Nothing listens on port 9: no response at all.
            _ = try await gateway.send(Self.call(Self.model("nowhere", baseURL: "http://127.0.0.1:9/v1")))

            // In flight while the provider takes its time, and not after.
            let slow = Self.model("slow", baseURL: url + "/v1")
            let sending = Task { try await gateway.send(Self.call(slow)) }
            let inFlight = ["model": "slow"]
            try await waitUntil("the slow call shows in flight", every: .milliseconds(10)) {
                PrometheusText(registry.emitToString()).value(WorkerMetrics.Name.inFlight, inFlight) == 1
            }
            // Answered no sooner than 400 ms after it was seen in flight, when its clock had started (the Task
            // may start late on a loaded machine, so the time it was created says nothing): its latency is measured below.
            let seen = ContinuousClock.now
            try await Task.sleep(until: seen + .milliseconds(400))
            provider.releaseDelays()
            _ = try await sending.value
            #expect(PrometheusText(registry.emitToString()).value(WorkerMetrics.Name.inFlight, inFlight) == 0)
        }

        let page = PrometheusText(registry.emitToString())
        typealias Name = WorkerMetrics.Name
        func requests(_ model: String, _ statusClass: String) -> Double? {
            page.value(Name.requests, ["provider": "openai", "model": model, "status_class": statusClass])
        }
        #expect(requests("good", "2xx") == 2)
        #expect(requests("busy", "4xx") == 1)
        #expect(requests("broken", "5xx") == 1)
        #expect(requests("nowhere", "transport") == 1)
        #expect(requests("slow", "2xx") == 1)
        #expect(page.value(Name.requests) == 6)
        #expect(page.value(Name.throttles, ["model": "busy"]) == 1)
        #expect(page.value(Name.throttles, ["model": "good"]) == 0)
        // The scripted completion reports 50 prompt and 10 completion tokens.
        #expect(page.value(Name.tokens, ["model": "good", "direction": "input"]) == 100)
        #expect(page.value(Name.tokens, ["model": "good", "direction": "output"]) == 20)
        #expect(page.value(Name.tokens, ["model": "busy", "direction": "input"]) == 0)
        // 2 × (50 × $2 + 10 × $10) per million tokens; a model without a price spends nothing known.
        let spend = try #require(page.value(Name.spend, ["model": "good"]))
        #expect(abs(spend - 0.0004) < 1e-12)
        #expect(page.value(Name.spend, ["model": "slow"]) == 0)
        #expect(page.value(Name.requestSeconds + "_count", ["model": "good"]) == 2)
        #expect(page.value(Name.requestSeconds + "_count", ["model": "slow"]) == 1)
        let slowSeconds = try #require(page.value(Name.requestSeconds + "_sum", ["model": "slow"]))
        #expect(slowSeconds >= 0.4)
        #expect(page.value(Name.requestSeconds + "_bucket", ["model": "slow", "le": "0.25"]) == 0)
        #expect(page.value(Name.requestSeconds + "_bucket", ["model": "slow", "le": "+Inf"]) == 1)
    }

    @Test func retriesOutboxBatchTasksAndLimitsLandInTheRegistry() {
        let registry = PrometheusCollectorRegistry()
        let metrics = WorkerMetrics.prometheus(registry)
        let model = Self.model("m", baseURL: "http://127.0.0.1:9/v1")
        metrics.retried(model)
        metrics.retried(model)
        metrics.waitingEndings(7)
        metrics.waitingEndings(3)
        metrics.batchTaskDone(.submit)
        metrics.batchTaskDone(.poll)
        metrics.batchTaskDone(.poll)
        metrics.limit(endpoint: model.endpointKey, kind: .requests, value: 500)
        metrics.limit(endpoint: model.endpointKey, kind: .tokens, value: 30_000)
        metrics.remaining(endpoint: model.endpointKey, kind: .requests, value: 499)
        metrics.limit(endpoint: model.endpointKey, kind: .requests, value: 450)

        let page = PrometheusText(registry.emitToString())
        typealias Name = WorkerMetrics.Name
        #expect(page.value(Name.retries, ["provider": "openai", "model": "m"]) == 2)
        #expect(page.value(Name.outbox) == 3)
        #expect(page.value(Name.batchTasks, ["action": "submit"]) == 1)
        #expect(page.value(Name.batchTasks, ["action": "poll"]) == 2)
        #expect(page.value(Name.limit, ["model": "m", "kind": "requests"]) == 450)
        #expect(page.value(Name.limit, ["model": "m", "kind": "tokens"]) == 30_000)
        #expect(page.value(Name.remaining, ["model": "m", "kind": "requests"]) == 499)
    }

    @Test func whatIsLeftOfEachStatedLimitIsRecordedFromTheResponse() async throws {
        let provider = ScriptedProvider { _, _ in
            ScriptedProvider.Answer(
                headers: [
                    "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499", "x-ratelimit-remaining-tokens": "29000",
                ], body: ScriptedProvider.completion(["fine"]))
        }
        let registry = PrometheusCollectorRegistry()
        let gateway = ModelGateway(keys: KeyRing(environment: ["OPENAI_API_KEY": "sk-test"]), requestTimeout: 60, metrics: .prometheus(registry))
        try await Loopback.serve(router: provider.router) { url in
            _ = try await gateway.send(Self.call(Self.model("m", baseURL: url + "/v1")))
        }
        let page = PrometheusText(registry.emitToString())
        typealias Name = WorkerMetrics.Name
        #expect(page.value(Name.limit, ["model": "m", "kind": "requests"]) == 500)
        #expect(page.value(Name.remaining, ["model": "m", "kind": "requests"]) == 499)
        #expect(page.value(Name.remaining, ["model": "m", "kind": "tokens"]) == 29000)
    }

    @Test func remainingHeadersOfEveryProviderAreReadAndNonsenseIgnored() {
        let anthropic = RateLimitHeaders.remaining([
            "anthropic-ratelimit-requests-remaining": "49", "anthropic-ratelimit-input-tokens-remaining": "0",
            "anthropic-ratelimit-output-tokens-remaining": "-5", "anthropic-ratelimit-tokens-remaining": "nan",
        ])
        #expect(anthropic.map(\.kind) == [.requests, .inputTokens])
        #expect(anthropic.map(\.value) == [49, 0])
        #expect(RateLimitHeaders.remaining(["x-ratelimit-remaining": " 19 "]).map(\.value) == [19])
        #expect(RateLimitHeaders.remaining([:]).isEmpty)
    }

    @Test func twoWorkersInOneProcessKeepTheirOwnNumbers() {
        let first = PrometheusCollectorRegistry()
        let second = PrometheusCollectorRegistry()
        let model = Self.model("m", baseURL: "http://127.0.0.1:9/v1")
        WorkerMetrics.prometheus(first).retried(model)
        WorkerMetrics.prometheus(second).waitingEndings(2)
        WorkerMetrics.none.retried(model)
        #expect(PrometheusText(first.emitToString()).value(WorkerMetrics.Name.retries) == 1)
        #expect(PrometheusText(first.emitToString()).value(WorkerMetrics.Name.outbox) == 0)
        #expect(PrometheusText(second.emitToString()).value(WorkerMetrics.Name.retries) == nil)
    }

    @Test func readinessFollowsTheCoordinatorsAnswers() async throws {
        let coordinator = FakeCoordinator()
        let contact = CoordinatorContact()
        let recording = ContactRecording(base: coordinator, contact: contact)
        coordinator.change { $0.leaseStatus = 503 }
        _ = try? await recording.lease(LeaseRequest(workerID: "w", endpoints: [FakeCoordinator.endpoint], maxJobs: 1, waitMilliseconds: 0))
        #expect(!contact.isReady)
        #expect(contact.sinceLastAnswer == nil)
        _ = try await recording.endpoints()
        #expect(contact.isReady)
    }

    @Test func theProbesServeHealthReadinessAndTheRegistry() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = WorkerMetrics.prometheus(registry)
        metrics.waitingEndings(4)
        let probes = WorkerProbes(registry: registry, contact: metrics.contact)
        try await Loopback.serve(router: probes.router) { url in
            func get(_ path: String) async throws -> (Int, String) {
                let response = try await TestHTTP.send(url + path)
                return (response.status, String(decoding: response.body, as: UTF8.self))
            }
            #expect(try await get("/healthz").0 == 200)
            let notReady = try await get("/readyz")
            #expect(notReady.0 == 503)
            #expect(notReady.1.contains("never answered"))
            metrics.contact.answered()
            #expect(try await get("/readyz").0 == 200)
            let page = try await get("/metrics")
            #expect(page.0 == 200)
            #expect(PrometheusText(page.1).value(WorkerMetrics.Name.outbox) == 4)
            #expect(try await get("/nothing").0 == 404)
        }
    }
}
