import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Faults everywhere at once: a mock provider answering with 500/503/529,
/// resets, hangs, garbage and spurious 429s; workers killed with SIGKILL
/// again and again; each coordinator restarted; PostgreSQL restarted once.
/// Then: every job done, one result per job, no orphan verdict, and the same
/// report as a run without faults.
///
/// CI runs a short form; `SIUO_CHAOS_CASES=180 scripts/chaos.sh` runs the long
/// one (4 models × 180 cases: over 5,000 jobs).
@Suite(.serialized) struct ChaosTests {
    static var cases: Int { Int(ProcessInfo.processInfo.environment["SIUO_CHAOS_CASES"] ?? "") ?? 18 }
    static let models = 4
    static let faults = """
        "faults": {"status_500": 0.02, "status_503": 0.02, "status_529": 0.01, "reset": 0.01, "hang": 0.005,
                   "garbage": 0.01, "spurious_429": 0.01}, "hang_s": 30,
        """

    /// The mock's configuration: every model answers after about 20 ms.
    static func mockConfig(faults: Bool) -> String {
        "{" + (faults ? Self.faults : "") + #" "latency_ms": {"mean": 20, "jitter": 15}}"#
    }

    static func definition(mockURL: String) -> SweepDefinition {
        func model(_ name: String) -> ModelSpec {
            ModelSpec(
                name: name, provider: .mock, model: name, baseURL: mockURL + "/v1", temperature: 1, maxTokens: 200,
                rpm: 1_000_000, burst: 1_000_000)
        }
        return SweepDefinition(
            name: "chaos", dataset: DatasetReference(name: "fixture"), tasks: [.generation, .mcqa], samples: 3,
            seed: 5, leaseTTLSeconds: 4, maxAttempts: 50,
            models: (0..<models).map { model("target-\($0)") }, judge: model("judge"))
    }

    /// Runs the sweep on a fresh cluster; `chaos` breaks
    /// things while it runs, with `held` jobs held back (`HeldJobs`) until it returns. Returns the report.
    static func run(
        name: String, faults: Bool, held: Int = 0, chaos: (ChaosCluster) async throws -> Void
    ) async throws -> SweepReport {
        let cluster = try await ChaosCluster(
            name: name, mockConfig: mockConfig(faults: faults), mockSeed: 11, coordinators: 2)
        defer { cluster.stop() }
        try await SweepFixture.importDataset(cluster.pool, cases: cases)
        _ = try await TestCoordinator.admin(cluster.coordinatorURL(0)).submit(definition(mockURL: cluster.mockURL), replace: false)
        try await HeldJobs.hold(held, in: cluster.pool)
        for _ in 0..<4 { try cluster.startWorker() }
        try await chaos(cluster)
        try await HeldJobs.release(in: cluster.pool)
        // The limit bounds a stuck sweep, not its speed.
        try await waitUntil("\(name): no job is queued or leased", limit: .seconds(600), every: .milliseconds(250)) {
            await cluster.count("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased')") == 0
        }
        #expect(await cluster.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0, "\(name): every job done")
        #expect(
            await cluster.count(
                """
                SELECT count(*) AS n FROM jobs j WHERE j.kind IN ('generate', 'mcqa')
                  AND (SELECT count(*) FROM responses r WHERE r.job_id = j.id) <> CASE j.kind WHEN 'generate' THEN 3 ELSE 1 END
                """) == 0, "\(name): one response per sample")
        #expect(
            await cluster.count(
                """
                SELECT count(*) AS n FROM jobs j WHERE j.kind LIKE 'judge%' AND (SELECT count(*) FROM verdicts v WHERE v.job_id = j.id) <> 1
                """) == 0, "\(name): one verdict per judge job")
        #expect(
            await cluster.count(
                """
                SELECT count(*) AS n FROM verdicts v LEFT JOIN responses r ON r.id = v.response_id WHERE r.id IS NULL
                """) == 0, "\(name): no verdict without its response")
        let report = try await TestCoordinator.admin(cluster.coordinatorURL(1)).report("chaos")
        // The cluster is the test's own: leave no server behind.
        cluster.stop()
        _ = try? await cluster.postgres.stop()
        return report
    }

    @Test func nothingIsLostOrCountedTwiceUnderFaultsAndTheReportIsUnchanged() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let calm = try await Self.run(name: "calm", faults: false) { _ in }
        // Eight jobs held back until every fault has struck and the rest of the sweep is done: the sweep cannot end first.
        let stormy = try await Self.run(name: "chaos", faults: true, held: 8) { cluster in
            let total = await cluster.count("SELECT count(*) AS n FROM jobs") ?? 1
            var round = 0
            var restartedPostgres = false
            var restarted: Set<Int> = []
            let openNotHeld = "SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased') AND not_before < now() + interval '12 hours'"
            let doneJobs = "SELECT count(*) AS n FROM jobs WHERE state = 'done'"
            // Kills are paced by work, not by a clock: before each, the workers have finished `step` more jobs
            // (or all they can before the held ones return), so however slow the machine, the sweep moves on.
            let step = max(1, total / 40)
            var done = await cluster.count(doneJobs) ?? 0
            while true {
                let chaosDone = restartedPostgres && restarted.count == 2
                if chaosDone, (await cluster.count(openNotHeld) ?? 1) == 0 { break }
                let before = done
                try await waitUntil("\(step) more jobs done since the last kill", every: .milliseconds(100)) {
                    // nil while PostgreSQL restarts: no progress seen yet.
                    done = await cluster.count(doneJobs) ?? before
                    if done >= before + step { return true }
                    return (await cluster.count(openNotHeld) ?? 1) == 0
                }
                round += 1
                try cluster.killAndReplaceWorker(round % 4)
                if done > total / 4, restarted.insert(0).inserted { try cluster.restartCoordinator(0) }
                if done > total / 3, !restartedPostgres {
                    restartedPostgres = true
                    try await cluster.restartPostgres()
                }
                if done > total / 2, restarted.insert(1).inserted { try cluster.restartCoordinator(1) }
            }
            #expect(restartedPostgres && restarted.count == 2, "the chaos happened before the sweep ended")
            // The faults really struck: errors answered, leases lost and taken again.
            let totals = try await cluster.mockStats()["totals"] as? [String: Any]
            let statuses = totals?["by_status"] as? [String: Int] ?? [:]
            #expect((statuses["500"] ?? 0) + (statuses["503"] ?? 0) + (statuses["529"] ?? 0) > 0)
            #expect(await cluster.count("SELECT count(*) AS n FROM jobs WHERE retries > 0 OR attempts > 0") ?? 0 > 0)
        }
        #expect(stormy.models.count == calm.models.count)
        for (chaotic, reference) in zip(stormy.models, calm.models) {
            #expect(chaotic.model == reference.model)
            #expect(chaotic.generation == reference.generation, "\(chaotic.model): generation scores")
            #expect(chaotic.mcqa == reference.mcqa, "\(chaotic.model): MCQA scores")
            #expect(chaotic.outcomes == reference.outcomes, "\(chaotic.model): outcomes")
        }
    }
}
