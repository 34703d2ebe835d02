import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo sweep status` after jobs failed for good: a worker runs a sweep whose model the mock
/// refuses (a reasoning model sent `max_tokens`), and the status names, per model, how many
/// failed and why, over the coordinator's HTTP route; provider text never reaches the terminal raw.
@Suite(.serialized) struct SweepStatusFailuresTests {
    static func sweepYAML(mockURL: String) -> String {
        """
        name: failing
        dataset: {name: fixture}
        tasks: [mcqa]
        max_attempts: 2
        models:
          - name: thinker
            provider: mock
            model: o3-mini
            base_url: \(mockURL)/v1
            reasoning: false
          - name: plain
            provider: mock
            model: vlm
            base_url: \(mockURL)/v1
        """
    }

    @Test func aFailedJobsErrorIsShownPerModelAndMadeSafeToPrint() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let cluster = try await SweepCluster(suite: "e2e_status_failures", mockConfig: "{}")
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: 3)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("sweep.yaml", Self.sweepYAML(mockURL: cluster.mockURL))
        let admin = ["SIUO_COORDINATOR_URL": cluster.coordinator.baseURL, "SIUO_ADMIN_TOKEN": TestCoordinator.adminToken]
        let submitted = try await SiuoProcess.run(["sweep", "submit", file], environment: admin)
        #expect(submitted.status == 0, "\(submitted.output)")
        let workerLog = folder.path + "/worker.log"
        try cluster.startWorker(concurrency: 4, arguments: ["--log-format", "json"], stderrFile: workerLog)
        try await cluster.waitUntilFinished()

        // The worker logged each failure for good as a warning, the job's labels as metadata.
        let records = try String(contentsOfFile: workerLog, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let failed = records.filter { $0["message"] as? String == "job failed: the provider refused it for good" }
        #expect(failed.count == 3, "\(records)")
        for record in failed {
            #expect(record["level"] as? String == "warning")
            let metadata = record["metadata"] as? [String: Any] ?? [:]
            #expect(metadata["sweep"] as? String == "failing" && metadata["model"] as? String == "thinker")
            #expect(metadata["endpoint"] as? String == "mock \(cluster.mockURL)/v1 o3-mini")
            #expect((metadata["worker"] as? String)?.isEmpty == false)
            #expect(Int(metadata["job"] as? String ?? "") != nil && metadata["attempt"] != nil)
            #expect((metadata["error"] as? String)?.contains("reasoning: true") == true)
        }

        // One failure's error holds what a hostile provider could send: escape sequences, a bell, a line break.
        let hostile = "HTTP 400: \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31mred\u{1B}[0m alert\u{07}\nnext line \u{202E}desrever"
        try await cluster.pool.query(
            """
            UPDATE jobs SET last_error = $1 WHERE id = (
                SELECT j.id FROM jobs j JOIN models m ON m.id = j.model_id WHERE m.name = 'thinker' AND j.state = 'failed' ORDER BY j.id LIMIT 1)
            """, [hostile])

        let json = try await SiuoProcess.run(["sweep", "status", "failing", "--json"], environment: admin)
        #expect(json.status == 0, "\(json.output)")
        let status = try WireCoding.decoder().decode(SweepStatus.self, from: Data(json.stdout.utf8))
        #expect(status.state == .failed && status.jobs.failed == 3 && status.jobs.done == 3)
        let thinker = try #require(status.failures.first)
        #expect(status.failures.map(\.model) == ["thinker"])
        #expect(thinker.failed == 3)
        let refused = "HTTP 400: the model refuses `max_tokens`: set `reasoning: true` in the sweep file's entry `thinker`"
        #expect(thinker.errors.count == 2)
        #expect(thinker.errors.contains { $0.message.hasPrefix(refused) && $0.count == 2 }, "\(thinker.errors)")
        // JSON carries the text as recorded (escaped by JSON itself).
        #expect(thinker.errors.contains { $0.message == hostile && $0.count == 1 })

        let text = try await SiuoProcess.run(["sweep", "status", "failing"], environment: admin)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.stdout.contains("  failed: thinker 3 jobs\n"), "\(text.stdout)")
        #expect(text.stdout.contains("    2× " + refused))
        #expect(text.stdout.contains("    1× HTTP 400: red alert next line desrever\n"), "\(text.stdout)")
        #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    }
}
