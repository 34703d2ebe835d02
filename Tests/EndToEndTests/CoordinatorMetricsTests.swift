import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A `siuo coordinator` child's `/metrics`, read by Prometheus' own Python parser
/// (`prometheus_client`): route metrics, build info and the sweep gauges with the right types, and a
/// database outage shown by a metric rather than by series that vanish.
@Suite(.serialized) struct CoordinatorMetricsTests {
    /// Reads a page with `prometheus_client` and prints `{family: {type, samples: [[name, labels, value]]}}`.
    static let parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = {}
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            families[family.name] = {"type": family.type, "samples": [[s.name, s.labels, s.value] for s in family.samples]}
        print(json.dumps(families))
        """

    struct Family {
        var type: String
        var samples: [(name: String, labels: [String: String], value: Double)]
    }

    static func scrape(_ base: String) async throws -> [String: Family] {
        let page = try await TestHTTP.send(base + "/metrics")
        #expect(page.status == 200)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try page.text.write(toFile: folder.path + "/metrics", atomically: true, encoding: .utf8)
        let json = try await PythonTools.run(parser, [folder.path + "/metrics"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]])
        return object.mapValues { family in
            Family(
                type: family["type"] as? String ?? "",
                samples: (family["samples"] as? [[Any]] ?? []).map {
                    ($0[0] as? String ?? "", $0[1] as? [String: String] ?? [:], ($0[2] as? NSNumber)?.doubleValue ?? .nan)
                })
        }
    }

    @Test(.enabled(if: PythonTools.python != nil, "run through scripts/test, which installs prometheus_client"))
    func metricsParseWithTheirTypesAndAnOutageIsAMetric() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "e2e_coordinator_metrics")
        let pool = PostgresPool(url: url, size: 2)
        _ = try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 2)
        _ = try await SweepStore(pool: pool).submit(SweepFixture.definition(name: "metered", models: 1, tasks: [.mcqa], samples: 1))
        let coordinator = try CoordinatorProcess(databaseURL: url)
        defer { coordinator.stop() }
        let base = coordinator.baseURL
        _ = try await TestCoordinator.admin(base).status("metered")
        _ = try await TestCoordinator.worker(base).lease(LeaseRequest(workerID: "metrics", endpoints: [], maxJobs: 1))

        var families = try await Self.scrape(base)
        #expect(families["siuo_build_info"]?.type == "gauge")
        #expect(families["siuo_build_info"]?.samples.first?.labels["version"] == SiuoVersion.current)
        let routes = try #require(families["siuo_http_requests"], "route metrics: \(families.keys.sorted())")
        #expect(routes.type == "counter")
        #expect(routes.samples.contains { $0.labels["http_route"] == "/v1/sweeps/{name}" && $0.labels["http_response_status_code"] == "200" })
        #expect(families["siuo_http_request_duration_seconds"]?.type == "histogram")
        #expect(families["siuo_lease_claim_seconds"]?.type == "histogram" && families["siuo_lease_wait_seconds"]?.type == "histogram")
        // Known label values exist from the start, at 0.
        let failures = try #require(families["siuo_failures"])
        #expect(Set(failures.samples.compactMap { $0.labels["class"] }) == ["permanent", "retryable", "throttled"])
        let depth = try #require(families["siuo_queue_depth"])
        #expect(depth.type == "gauge")
        #expect(depth.samples.contains { $0.labels["sweep"] == "metered" && $0.labels["scope"] == "cluster" && $0.value == 2 })
        #expect(families["siuo_database_gauges_up"]?.samples.first?.value == 1)
        #expect(families["siuo_work_listener_up"]?.type == "gauge")

        // The database refuses this coordinator: the gauges cannot be read, and a metric says so.
        let database = try #require(URLComponents(string: url)?.path.dropFirst()).description
        let admin = PostgresPool(url: url.replacingOccurrences(of: "/" + database, with: "/postgres"), size: 1)
        try await admin.query("ALTER DATABASE \"\(database)\" ALLOW_CONNECTIONS false")
        try await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [database])
        families = try await Self.scrape(base)
        #expect(families["siuo_database_gauges_up"]?.samples.first?.value == 0)
        #expect((families["siuo_database_gauge_read_failures"]?.samples.first { $0.name.hasSuffix("_total") }?.value ?? 0) >= 1)
        #expect(families["siuo_queue_depth"] == nil && families["siuo_http_requests"] != nil)
        // Back again: the gauges return without a restart.
        try await admin.query("ALTER DATABASE \"\(database)\" ALLOW_CONNECTIONS true")
        try await waitUntil("the database gauges are up again", every: .milliseconds(200)) {
            try await Self.scrape(base)["siuo_database_gauges_up"]?.samples.first?.value == 1
        }
    }
}
