import Foundation
import Synchronization

/// Counters of this process, rendered with the database's gauges in
/// Prometheus' text format at `GET /metrics`.
public final class CoordinatorMetrics: Sendable {
    private struct Counters {
        var leasesGranted = 0
        var results: [String: Int] = [:]
        var failures: [String: Int] = [:]
        var leaseLatency = Histogram(bounds: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
    }

    private let counters = Mutex(Counters())

    /// Creates empty counters.
    public init() {}

    func leased(_ count: Int, seconds: Double) {
        counters.withLock {
            $0.leasesGranted += count
            $0.leaseLatency.observe(seconds)
        }
    }

    func results(_ statuses: [String]) {
        counters.withLock { counters in statuses.forEach { counters.results[$0, default: 0] += 1 } }
    }

    func failure(_ failureClass: String, count: Int = 1) {
        counters.withLock { $0.failures[failureClass, default: 0] += count }
    }

    /// Prometheus text: this process's counters, then `gauges` (read from the database).
    func render(gauges: [Gauge]) -> String {
        let snapshot = counters.withLock { $0 }
        var lines = [
            "# HELP siuo_leases_granted_total Jobs leased to workers by this coordinator.",
            "# TYPE siuo_leases_granted_total counter",
            "siuo_leases_granted_total \(snapshot.leasesGranted)",
            "# HELP siuo_results_total Results received, by whether they were written.",
            "# TYPE siuo_results_total counter",
        ]
        lines += snapshot.results.sorted { $0.key < $1.key }.map { "siuo_results_total{status=\"\($0.key)\"} \($0.value)" }
        lines += ["# HELP siuo_failures_total Failures reported by workers, by class.", "# TYPE siuo_failures_total counter"]
        lines += snapshot.failures.sorted { $0.key < $1.key }.map { "siuo_failures_total{class=\"\($0.key)\"} \($0.value)" }
        lines += ["# HELP siuo_lease_seconds Time to answer a lease request (long-poll waits included).", "# TYPE siuo_lease_seconds histogram"]
        lines += snapshot.leaseLatency.lines(name: "siuo_lease_seconds")
        var described: Set<String> = []
        for gauge in gauges {
            if described.insert(gauge.name).inserted {
                lines += ["# HELP \(gauge.name) \(gauge.help)", "# TYPE \(gauge.name) gauge"]
            }
            let labels = gauge.labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.sorted().joined(separator: ",")
            lines.append("\(gauge.name){\(labels)} \(gauge.value)")
        }
        return lines.joined(separator: "\n") + "\n"
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

/// A cumulative histogram with fixed bucket bounds.
struct Histogram {
    let bounds: [Double]
    var counts: [Int]
    var sum = 0.0
    var total = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
        sum += value
        total += 1
    }

    func lines(name: String) -> [String] {
        zip(bounds, counts).map { "\(name)_bucket{le=\"\($0)\"} \($1)" }
            + ["\(name)_bucket{le=\"+Inf\"} \(total)", "\(name)_sum \(sum)", "\(name)_count \(total)"]
    }
}
