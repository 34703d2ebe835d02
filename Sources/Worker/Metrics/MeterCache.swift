import CoreMetrics
import Shared
import Synchronization

/// The meters of `WorkerMetrics`, made once per label set and kept, so a
/// request's recording is a dictionary look-up, not a registry's.
final class MeterCache: Sendable {
    /// One endpoint's meters (labels `provider`, `model`).
    struct Endpoint: Sendable {
        let seconds: CoreMetrics.Timer
        let throttles: Counter
        let retries: Counter
        let inputTokens: Counter
        let outputTokens: Counter
        let spend: FloatingPointCounter
        let inFlight: Meter
    }

    private struct Made {
        var endpoints: [EndpointKey: Endpoint] = [:]
        var requests: [String: Counter] = [:]
        var gauges: [String: Gauge] = [:]
        var batchTasks: [BatchAction: Counter] = [:]
    }

    private let factory: any MetricsFactory
    private let made = Mutex(Made())
    /// `WorkerMetrics.Name.outbox`.
    let outbox: Gauge

    init(factory: any MetricsFactory) {
        self.factory = factory
        self.outbox = Gauge(label: WorkerMetrics.Name.outbox, factory: factory)
    }

    /// The `provider` and `model` labels of `endpoint`.
    static func labels(_ endpoint: EndpointKey) -> [(String, String)] {
        [("provider", endpoint.provider.rawValue), ("model", endpoint.model)]
    }

    func endpoint(_ key: EndpointKey) -> Endpoint {
        made.withLock { made in
            if let found = made.endpoints[key] { return found }
            let labels = Self.labels(key)
            typealias Name = WorkerMetrics.Name
            let meters = Endpoint(
                seconds: CoreMetrics.Timer(label: Name.requestSeconds, dimensions: labels, factory: factory),
                throttles: Counter(label: Name.throttles, dimensions: labels, factory: factory),
                retries: Counter(label: Name.retries, dimensions: labels, factory: factory),
                inputTokens: Counter(label: Name.tokens, dimensions: labels + [("direction", "input")], factory: factory),
                outputTokens: Counter(label: Name.tokens, dimensions: labels + [("direction", "output")], factory: factory),
                spend: FloatingPointCounter(label: Name.spend, dimensions: labels, factory: factory),
                inFlight: Meter(label: Name.inFlight, dimensions: labels, factory: factory))
            made.endpoints[key] = meters
            return meters
        }
    }

    func requests(_ key: EndpointKey, statusClass: String) -> Counter {
        made.withLock { made in
            let id = "\(key.provider.rawValue)\u{0}\(key.model)\u{0}\(statusClass)"
            if let found = made.requests[id] { return found }
            let counter = Counter(
                label: WorkerMetrics.Name.requests, dimensions: Self.labels(key) + [("status_class", statusClass)], factory: factory)
            made.requests[id] = counter
            return counter
        }
    }

    func limit(_ name: String, _ key: EndpointKey, _ kind: LimitKind) -> Gauge {
        made.withLock { made in
            let id = "\(name)\u{0}\(key.provider.rawValue)\u{0}\(key.model)\u{0}\(kind.rawValue)"
            if let found = made.gauges[id] { return found }
            let gauge = Gauge(label: name, dimensions: Self.labels(key) + [("kind", kind.rawValue)], factory: factory)
            made.gauges[id] = gauge
            return gauge
        }
    }

    func batchTasks(_ action: BatchAction) -> Counter {
        made.withLock { made in
            if let found = made.batchTasks[action] { return found }
            let counter = Counter(label: WorkerMetrics.Name.batchTasks, dimensions: [("action", action.rawValue)], factory: factory)
            made.batchTasks[action] = counter
            return counter
        }
    }
}
