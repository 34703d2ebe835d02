import CoreMetrics
import Foundation
import Prometheus
import Shared
import Synchronization

/// The worker's numbers for operators (docs/operations.md, "A worker's
/// probes and metrics"), recorded through swift-metrics with the factory it
/// is given, never the process-wide one: tests and in-process workers each
/// hold their own, and `siuo worker` hands in the Prometheus factory its
/// `/metrics` serves. Each number has one place that records it: the
/// provider exchange (`ModelGateway`), retries (`LeaseSession`), endings
/// waiting for the coordinator (`Outbox`), batch tasks (`BatchWorker`),
/// learned limits (whoever reads the providers' limit headers).
public struct WorkerMetrics: Sendable {
    /// The metric names, in one place.
    public enum Name {
        /// Provider requests by endpoint and status class (counter).
        public static let requests = "siuo_worker_provider_requests_total"
        /// Seconds per provider request, by endpoint (histogram).
        public static let requestSeconds = "siuo_worker_provider_request_duration_seconds"
        /// Requests the provider pushed back (429, Anthropic's 529), by endpoint (counter).
        public static let throttles = "siuo_worker_provider_throttled_total"
        /// Requests sent again within a lease after a retryable error, by endpoint (counter).
        public static let retries = "siuo_worker_provider_retries_total"
        /// Tokens the providers reported, by endpoint and direction (counter).
        public static let tokens = "siuo_worker_provider_tokens_total"
        /// Dollars spent at the sweep's prices, by endpoint (counter).
        public static let spend = "siuo_worker_provider_spend_usd_total"
        /// Provider requests under way, by endpoint (gauge).
        public static let inFlight = "siuo_worker_provider_requests_in_flight"
        /// A limit the provider stated, by endpoint and kind (gauge).
        public static let limit = "siuo_worker_provider_limit"
        /// What the provider said is left of a limit, by endpoint and kind (gauge).
        public static let remaining = "siuo_worker_provider_limit_remaining"
        /// Job endings waiting for the coordinator (gauge).
        public static let outbox = "siuo_worker_outbox_endings"
        /// Batch tasks done, by action (counter).
        public static let batchTasks = "siuo_worker_batch_tasks_total"
    }

    /// Histogram buckets of `Name.requestSeconds`: from a local model's
    /// tenth of a second to a reasoning model's minutes.
    public static let requestSecondsBuckets: [Duration] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300].map {
        .milliseconds(Int64($0 * 1000))
    }

    let factory: any MetricsFactory
    /// When the coordinator last answered (`/readyz`).
    public let contact: CoordinatorContact
    private let meters: MeterCache

    /// Metrics made by `factory`.
    public init(factory: any MetricsFactory) {
        self.factory = factory
        self.contact = CoordinatorContact()
        self.meters = MeterCache(factory: factory)
    }

    /// Metrics recorded nowhere (tests, in-process workers, `siuo run`).
    public static var none: WorkerMetrics { WorkerMetrics(factory: NOOPMetricsHandler.instance) }

    /// Metrics in `registry`, the latency histogram with `requestSecondsBuckets`.
    public static func prometheus(_ registry: PrometheusCollectorRegistry) -> WorkerMetrics {
        WorkerMetrics(factory: prometheusFactory(registry))
    }

    /// The Prometheus factory `prometheus(_:)` uses, for `MetricsSystem.bootstrap`.
    public static func prometheusFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Name.requestSeconds] = requestSecondsBuckets
        return factory
    }

    /// Runs one exchange with `model`'s provider (`body`: send and decode),
    /// counting it in flight meanwhile, then records its status class,
    /// seconds, throttle, tokens and spend (tokens × `model.price`).
    public func exchange(
        with model: ModelSpec, _ body: () async throws -> Result<ProviderReply, ProviderFailure>
    ) async rethrows -> Result<ProviderReply, ProviderFailure> {
        let endpoint = meters.endpoint(model.endpointKey)
        // Timed from before it shows in flight: whoever sees it there knows its clock has started.
        let started = ContinuousClock.now
        endpoint.inFlight.increment()
        defer { endpoint.inFlight.decrement() }
        let outcome = try await body()
        endpoint.seconds.recordSeconds((ContinuousClock.now - started).seconds)
        meters.requests(model.endpointKey, statusClass: Self.statusClass(outcome)).increment()
        switch outcome {
        case .success(let reply):
            // A counter must never go down: a codec that let a negative count through would crash here.
            let input = ProviderCount.clamped(reply.inputTokens)
            let output = ProviderCount.clamped(reply.outputTokens)
            endpoint.inputTokens.increment(by: input)
            endpoint.outputTokens.increment(by: output)
            if let price = model.price {
                endpoint.spend.increment(by: Usage(inputTokens: input, outputTokens: output).cost(at: price))
            }
        case .failure(let failure):
            if failure.throttled { endpoint.throttles.increment() }
        }
        return outcome
    }

    /// A request sent again within a lease after a retryable error.
    public func retried(_ model: ModelSpec) {
        meters.endpoint(model.endpointKey).retries.increment()
    }

    /// Job endings waiting for the coordinator now.
    public func waitingEndings(_ count: Int) {
        meters.outbox.record(count)
    }

    /// A batch task done (whatever came of it).
    public func batchTaskDone(_ action: BatchAction) {
        meters.batchTasks(action).increment()
    }

    /// A limit the provider stated for `endpoint` (its limit headers), as it
    /// stated it: requests or tokens per the provider's window.
    public func limit(endpoint: EndpointKey, kind: LimitKind, value: Double) {
        meters.limit(Name.limit, endpoint, kind).record(value)
    }

    /// What the provider said is left of a limit for `endpoint`.
    public func remaining(endpoint: EndpointKey, kind: LimitKind, value: Double) {
        meters.limit(Name.remaining, endpoint, kind).record(value)
    }

    /// The `status_class` label: `2xx`, `4xx`, `5xx` (any `Nxx`) by the
    /// response's status, `transport` when no response came.
    static func statusClass(_ outcome: Result<ProviderReply, ProviderFailure>) -> String {
        switch outcome {
        case .success: "2xx"
        case .failure(let failure): failure.status.map { "\($0 / 100)xx" } ?? "transport"
        }
    }
}

/// The kind of a provider-stated limit (the `kind` label), as the limit
/// headers name them: OpenAI's `requests` and `tokens`, Anthropic's also
/// `input_tokens` and `output_tokens`.
public struct LimitKind: RawRepresentable, Hashable, Sendable {
    /// The label value.
    public var rawValue: String

    /// A kind named `rawValue`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Requests per window.
    public static let requests = LimitKind(rawValue: "requests")
    /// Tokens (input and output together) per window.
    public static let tokens = LimitKind(rawValue: "tokens")
    /// Input tokens per window.
    public static let inputTokens = LimitKind(rawValue: "input_tokens")
    /// Output tokens per window.
    public static let outputTokens = LimitKind(rawValue: "output_tokens")
}
