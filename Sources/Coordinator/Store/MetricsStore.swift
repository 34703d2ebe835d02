import Shared

/// The gauges `/metrics` reads from the database at each scrape.
struct MetricsStore {
    let pool: PostgresPool

    func gauges() async throws -> [CoordinatorMetrics.Gauge] {
        var gauges: [CoordinatorMetrics.Gauge] = []
        for row in try await pool.query(MetricsSQL.queueDepth) {
            gauges.append(
                .init(
                    name: "siuo_queue_depth", help: "Jobs waiting to be leased.",
                    labels: [
                        "sweep": try row.decode(String.self, "sweep"), "model": try row.decode(String.self, "model"),
                        "kind": try row.decode(JobKind.self, "kind").rawValue,
                    ], value: Double(try row.decode(Int.self, "n"))))
        }
        for row in try await pool.query(RateBucketSQL.gauges) {
            let labels = [
                "provider": try row.decode(String.self, "provider"), "model": try row.decode(String.self, "model"),
                "base_url": try row.decode(String.self, "base_url"),
            ]
            gauges.append(
                .init(
                    name: "siuo_rate_bucket_tokens", help: "Tokens in each endpoint's bucket (at the last refill).",
                    labels: labels, value: try row.decode(Double.self, "tokens")))
            gauges.append(
                .init(
                    name: "siuo_rate_bucket_rpm", help: "Each endpoint's current rate in requests per minute.",
                    labels: labels.merging(["source": try row.decode(String.self, "rpm_source")]) { first, _ in first },
                    value: try row.decode(Double.self, "current_rpm")))
            if let tpm = try row.decode(Double?.self, "tpm") {
                gauges.append(
                    .init(
                        name: "siuo_rate_bucket_tpm", help: "Each endpoint's token rate in force, model tokens per minute.",
                        labels: labels.merging(["source": try row.decode(String.self, "tpm_source")]) { first, _ in first }, value: tpm))
            }
            gauges.append(
                .init(
                    name: "siuo_rate_bucket_tokens_per_request",
                    help: "The model tokens one request is charged against the endpoint's tpm before its usage is known.",
                    labels: labels.merging(["source": try row.decode(String.self, "tokens_per_request_source")]) { first, _ in first },
                    value: try row.decode(Double.self, "tokens_per_request")))
            for (column, kind) in [("learned_rpm", "requests"), ("learned_tpm", "tokens")] {
                guard let stated = try row.decode(Double?.self, column) else { continue }
                gauges.append(
                    .init(
                        name: "siuo_provider_stated_limit", help: "The per-minute limit an endpoint's response headers last stated.",
                        labels: labels.merging(["kind": kind]) { first, _ in first }, value: stated))
            }
        }
        var batches = Dictionary(uniqueKeysWithValues: BatchState.allCases.map { ($0.rawValue, 0) })
        for row in try await pool.query(BatchSQL.countsByState) {
            batches[try row.decode(BatchState.self, "state").rawValue] = try row.decode(Int.self, "n")
        }
        for (state, count) in batches.sorted(by: { $0.key < $1.key }) {
            gauges.append(
                .init(
                    name: "siuo_batches", help: "Provider batches by state (docs/architecture.md, \"Batch mode\").",
                    labels: ["state": state], value: Double(count)))
        }
        return gauges
    }
}

enum MetricsSQL {
    /// Queued jobs per sweep, model and kind. Asked lane by lane (the
    /// table's CHECK allows these two), so each arm reads its lane's partial
    /// index of queued jobs (`jobs_runnable`, `jobs_batch_runnable`) and a
    /// scrape costs the queue's length, not the whole table's.
    static let queueDepth = """
        SELECT s.name AS sweep, m.name AS model, j.kind, count(*) AS n
        FROM jobs j JOIN sweeps s ON s.id = j.sweep_id JOIN models m ON m.id = j.subject_model_id
        WHERE (j.state = 'queued' AND j.lane = 'live') OR (j.state = 'queued' AND j.lane = 'batch')
        GROUP BY s.name, m.name, j.kind
        """
}
