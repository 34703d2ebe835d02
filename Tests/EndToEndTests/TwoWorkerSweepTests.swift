import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A real coordinator, two worker processes and the mock provider over
/// loopback: a sweep with two models, three samples, judges and MCQA runs to
/// the end, within the mock's rate limits, with exactly one result per job,
/// even when a worker is killed mid-sweep.
@Suite(.serialized) struct TwoWorkerSweepTests {
    /// The slack is the workers' combined concurrency: permits granted at the
    /// rate can reach the mock in a clump when a loaded machine stalls a worker.
    static let mockConfig = """
        {"latency_ms": {"mean": 150, "jitter": 100},
         "models": {"model-a": {"rpm": 1200, "burst": 10, "limit_slack": 16},
                    "model-b": {"rpm": 1200, "burst": 10, "limit_slack": 16},
                    "judge": {"rpm": 3000, "burst": 25, "limit_slack": 16}}}
        """

    static func definition(mockURL: String) -> SweepDefinition {
        func model(_ name: String, rpm: Double, burst: Double) -> ModelSpec {
            ModelSpec(
                name: name, provider: .mock, model: name, baseURL: mockURL + "/v1", temperature: 1, maxTokens: 200,
                rpm: rpm, burst: burst)
        }
        return SweepDefinition(
            name: "two-workers", dataset: DatasetReference(name: "fixture"), tasks: [.generation, .mcqa],
            samples: 3, leaseTTLSeconds: 4, maxAttempts: 20,
            models: [model("model-a", rpm: 1200, burst: 10), model("model-b", rpm: 1200, burst: 10)],
            judge: model("judge", rpm: 3000, burst: 25))
    }

    /// The id of the worker the test kills.
    static let killedWorker = "worker-to-kill"

    /// Jobs done, jobs still open (queued or leased) and jobs leased by `killedWorker`, read at one moment.
    static func jobCounts(_ pool: PostgresPool) async throws -> (done: Int, open: Int, heldByKilled: Int) {
        let row = try await pool.query(
            """
            SELECT count(*) FILTER (WHERE state = 'done') AS done, count(*) FILTER (WHERE state IN ('queued', 'leased')) AS open,
                   count(*) FILTER (WHERE state = 'leased' AND leased_by = $1) AS held
            FROM jobs
            """, [killedWorker])[0]
        return (try row.decode(Int.self, "done"), try row.decode(Int.self, "open"), try row.decode(Int.self, "held"))
    }

    /// The last lines of a worker's log, for a failure's record.
    static func tail(of log: String, lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    @Test func aSweepSurvivesAKilledWorkerWithExactlyOneResultPerJob() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let cluster = try await SweepCluster(suite: "e2e_two_workers", mockConfig: Self.mockConfig)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: 12)
        try await cluster.submit(Self.definition(mockURL: cluster.mockURL))
        // From the 20th job done, the leases of the worker to kill stay open until the kill: it dies holding
        // leases, in the middle of the sweep, however late a loaded machine lets this task look.
        try await PinnedLeases.pin(Self.killedWorker, afterDone: 20, in: cluster.pool)
        let logs = try TemporaryFolder(prefix: "siuo-two-workers")
        defer { logs.remove() }
        let killedLog = logs.path + "/killed.log"
        let survivorLog = logs.path + "/survivor.log"
        try cluster.startWorker(concurrency: 8, arguments: ["--worker-id", Self.killedWorker], stderrFile: killedLog)
        try cluster.startWorker(concurrency: 8, stderrFile: survivorLog)

        var seen = (done: 0, open: 0, heldByKilled: 0)
        do {
            try await waitUntil("\(Self.killedWorker) holds leases with 20 jobs done") {
                seen = try await Self.jobCounts(cluster.pool)
                return seen.done >= 20 && seen.heldByKilled > 0
            }
        } catch let timedOut as WaitTimedOut {
            Issue.record("last seen: \(seen.done) jobs done, \(seen.open) open, \(seen.heldByKilled) leased by \(Self.killedWorker)")
            for log in [killedLog, survivorLog] { Issue.record("the end of \(log):\n\(Self.tail(of: log))") }
            throw timedOut
        }
        cluster.workers[0].kill()
        try await PinnedLeases.unpin(in: cluster.pool)
        try await cluster.waitUntilFinished()

        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        // Exactly one result per job: samples per generate job, one per MCQA job, one verdict per judge job.
        #expect(
            try await cluster.count(
                """
                SELECT count(*) AS n FROM jobs j WHERE j.kind = 'generate'
                  AND (SELECT count(*) FROM responses r WHERE r.job_id = j.id) <> 3
                """) == 0)
        #expect(
            try await cluster.count(
                """
                SELECT count(*) AS n FROM jobs j WHERE j.kind = 'mcqa' AND (SELECT count(*) FROM responses r WHERE r.job_id = j.id) <> 1
                """) == 0)
        #expect(
            try await cluster.count(
                """
                SELECT count(*) AS n FROM jobs j WHERE j.kind LIKE 'judge%' AND (SELECT count(*) FROM verdicts v WHERE v.job_id = j.id) <> 1
                """) == 0)
        // Every gradable answer got both judges; nothing else did.
        #expect(
            try await cluster.count(
                """
                SELECT count(*) AS n FROM responses r JOIN jobs j ON j.id = r.job_id
                WHERE j.kind = 'generate' AND r.outcome = 'answer' AND btrim(r.text) <> ''
                """) * 2 == cluster.count("SELECT count(*) AS n FROM jobs WHERE kind LIKE 'judge%'"))
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs") > 2 * 24)

        let stats = try await cluster.mockStats()
        let totals = stats["totals"] as? [String: Any] ?? [:]
        #expect(totals["over_limit"] as? Int == 0)
        #expect((totals["requests"] as? Int ?? 0) > 0)

        // The surviving worker stops cleanly on SIGTERM and holds nothing.
        #expect(cluster.workers[1].stop() == 0)
        #expect(try await cluster.count("SELECT count(*) AS n FROM jobs WHERE state = 'leased'") == 0)
    }
}
