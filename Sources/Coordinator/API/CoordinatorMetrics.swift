import Foundation
import Prometheus
import Shared

/// The coordinator's numbers for operators (docs/operations.md, "Probes and metrics"): this process's
/// counters and histograms in a swift-prometheus registry, which Hummingbird's route metrics share
/// once `siuo coordinator` bootstraps swift-metrics with ``factory``; the database-derived gauges are
/// read at each scrape and rendered after them.
public final class CoordinatorMetrics: Sendable {
    /// The metric names, in one place.
    public enum Name {
        /// Jobs leased by this coordinator (counter).
        public static let leasesGranted = "siuo_leases_granted_total"
        /// Results received, by `status` (counter).
        public static let results = "siuo_results_total"
        /// Failures reported by workers, by `class` (counter).
        public static let failures = "siuo_failures_total"
        /// Time a lease request spent claiming in the database (histogram).
        public static let leaseClaim = "siuo_lease_claim_seconds"
        /// Time a lease request spent waiting for work in its long poll (histogram).
        public static let leaseWait = "siuo_lease_wait_seconds"
        /// 1 when the last scrape read the database gauges, 0 when the read failed (gauge).
        public static let gaugesUp = "siuo_database_gauges_up"
        /// Scrapes whose database gauge read failed (counter).
        public static let gaugeReadFailures = "siuo_database_gauge_read_failures_total"
        /// 1 while this coordinator's listener hears other replicas' work notifications (gauge).
        public static let workListenerUp = "siuo_work_listener_up"
        /// 1, labelled with this build's version (gauge).
        public static let buildInfo = "siuo_build_info"
    }

    /// The registry `/metrics` emits.
    public let registry: PrometheusCollectorRegistry
    private let leasesGranted: Prometheus.Counter
    private let results: [String: Prometheus.Counter]
    private let failures: [String: Prometheus.Counter]
    private let leaseClaim: Prometheus.DurationHistogram
    private let leaseWait: Prometheus.DurationHistogram
    private let gaugesUp: Prometheus.Gauge
    private let gaugeReadFailures: Prometheus.Counter
    private let workListenerUp: Prometheus.Gauge

    /// The failure classes workers report, each a series from the start.
    static let failureClasses = ["permanent", "retryable", "throttled"]
    /// Buckets of the lease histograms: a claim takes milliseconds, a long poll up to its 30 s limit.
    static let leaseBuckets: [Duration] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map {
        .microseconds(Int64($0 * 1_000_000))
    }

    /// Counters in `registry`, every known label value created at 0, and the build info.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = SiuoVersion.current) {
        self.registry = registry
        leasesGranted = registry.makeCounter(descriptor: Self.described(Name.leasesGranted, "Jobs leased to workers by this coordinator."))
        results = Dictionary(uniqueKeysWithValues: ["accepted", "stale"].map { ($0, Self.resultCounter($0, in: registry)) })
        failures = Dictionary(uniqueKeysWithValues: Self.failureClasses.map { ($0, Self.failureCounter($0, in: registry)) })
        leaseClaim = registry.makeDurationHistogram(
            descriptor: Self.described(Name.leaseClaim, "Time a lease request spent claiming jobs in the database."), buckets: Self.leaseBuckets)
        leaseWait = registry.makeDurationHistogram(
            descriptor: Self.described(Name.leaseWait, "Time a lease request spent waiting for work (long poll)."), buckets: Self.leaseBuckets)
        gaugesUp = registry.makeGauge(
            descriptor: Self.described(Name.gaugesUp, "1 when the last scrape read the database gauges, 0 when that read failed."))
        gaugeReadFailures = registry.makeCounter(descriptor: Self.described(Name.gaugeReadFailures, "Scrapes whose database gauge read failed."))
        workListenerUp = registry.makeGauge(
            descriptor: Self.described(
                Name.workListenerUp,
                "1 while this coordinator's LISTEN session hears work other replicas make; 0: its lease waiters re-check on their own."))
        registry.makeGauge(descriptor: Self.described(Name.buildInfo, "This build; the value is always 1."), labels: [("version", version)])
            .set(to: 1.0)
    }

    /// `name` (already whole: no namespace or unit is added) with its help text.
    private static func described(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    // The registry stops the process when one name is registered with two help
    // texts, so each labelled family's counters come from one function.

    private static func resultCounter(_ status: String, in registry: PrometheusCollectorRegistry) -> Prometheus.Counter {
        registry.makeCounter(descriptor: described(Name.results, "Results received, by whether they were written."), labels: [("status", status)])
    }

    private static func failureCounter(_ failureClass: String, in registry: PrometheusCollectorRegistry) -> Prometheus.Counter {
        registry.makeCounter(descriptor: described(Name.failures, "Failures reported by workers, by class."), labels: [("class", failureClass)])
    }

    /// The swift-metrics factory that records into ``registry`` (Hummingbird's route metrics), with
    /// Prometheus-style names.
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (RouteMetricNames.prometheus(name), labels.map { (RouteMetricNames.sanitize($0.0), $0.1) })
        }
        return factory
    }

    func leased(_ count: Int, claiming: Duration, waiting: Duration) {
        leasesGranted.increment(by: Int64(count))
        leaseClaim.record(claiming)
        leaseWait.record(waiting)
    }

    func results(_ statuses: [String]) {
        for status in statuses {
            (results[status] ?? Self.resultCounter(status, in: registry)).increment()
        }
    }

    func failure(_ failureClass: String, count: Int = 1) {
        (failures[failureClass] ?? Self.failureCounter(failureClass, in: registry)).increment(by: Int64(count))
    }

    /// Prometheus text: the registry, then `gauges` read from the database, or, when that read failed
    /// (`nil`), none of them and ``Name/gaugesUp`` at 0; `listening` is the work listener's state.
    func render(gauges: [Gauge]?, listening: Bool) -> String {
        workListenerUp.set(to: listening ? 1.0 : 0.0)
        if gauges == nil { gaugeReadFailures.increment() }
        gaugesUp.set(to: gauges == nil ? 0.0 : 1.0)
        var text = registry.emitToString()
        var described: Set<String> = []
        for gauge in gauges ?? [] {
            if described.insert(gauge.name).inserted {
                text += "# HELP \(gauge.name) \(gauge.help) Read from the database: the same on every replica (aggregate with max, not sum).\n"
                text += "# TYPE \(gauge.name) gauge\n"
            }
            // scope="cluster" marks a series every replica reports alike.
            let labels = (gauge.labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" } + ["scope=\"cluster\""]).sorted().joined(separator: ",")
            text += "\(gauge.name){\(labels)} \(gauge.value)\n"
        }
        return text
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// One labelled gauge value.
    struct Gauge {
        var name: String
        var help: String
        var labels: [String: String]
        var value: Double
    }
}

/// Hummingbird's metric names (`hb.requests`, `http.server.request.duration`, …) as Prometheus names.
enum RouteMetricNames {
    static func prometheus(_ name: String) -> String {
        switch name {
        case "hb.requests": return "siuo_http_requests_total"
        case "hb.request.errors": return "siuo_http_request_errors_total"
        case "http.server.request.duration": return "siuo_http_request_duration_seconds"
        case "http.server.active_requests": return "siuo_http_active_requests"
        default: return sanitize(name)
        }
    }

    /// Any character Prometheus does not allow in a name becomes `_`.
    static func sanitize(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }
}
