import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo run` as a user runs it: one process, the sample dataset, mock
/// models on ports of each test's own, then the same command again. One at
/// a time: each `siuo run` is a whole system, and the rest of the suites run beside them.
@Suite(.serialized) struct RunCommandTests {
    /// The demo sweep, moved to a free port so tests never meet a running demo.
    static func sweepFile(in folder: TemporaryFolder, port: Int) throws -> String {
        let demo = try String(contentsOfFile: RepositoryPaths.root + "/examples/demo.yaml", encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:8787", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "siuo-sample/", with: RepositoryPaths.sampleDataset + "/")
        _ = try folder.write("demo.mock.json", try String(contentsOfFile: RepositoryPaths.root + "/examples/demo.mock.json", encoding: .utf8))
        return try folder.write("demo.yaml", demo)
    }

    /// The demo sweep in a folder of its own, on a free port, with a fresh database.
    struct DemoScene {
        let folder: TemporaryFolder
        /// The sweep file's path, and its text for tests that write a variant.
        let file: String
        let text: String
        let url: String

        /// The scene, or nil (with an issue recorded) when `siuo` is not built.
        static func make(suite: String) async throws -> DemoScene? {
            guard SiuoProcess.requireBinary() else { return nil }
            let folder = try TemporaryFolder()
            let file = try RunCommandTests.sweepFile(in: folder, port: try FreePort.find())
            return DemoScene(
                folder: folder, file: file, text: try String(contentsOfFile: file, encoding: .utf8),
                url: try await TestDatabase.freshDatabase(suite: suite))
        }
    }

    /// Runs `siuo arguments…` to the end; returns its exit status and output.
    static func siuo(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let finished = try await SiuoProcess.run(arguments)
        return (finished.status, finished.output)
    }

    @Test func aSpentBudgetStopsTheRunAndSaysSo() async throws {
        guard let scene = try await DemoScene.make(suite: "e2e_run_budget") else { return }
        defer { scene.folder.remove() }
        let (folder, demo, url) = (scene.folder, scene.text, scene.url)
        // $100 per million input tokens: a request of about a thousand tokens costs about $0.10.
        let priced = demo.replacingOccurrences(of: "    rpm: 600\n", with: "    rpm: 600\n    price: {input_per_mtok: 100, output_per_mtok: 100}\n")
            .replacingOccurrences(of: "lease_ttl_s: 30", with: "lease_ttl_s: 30\nbudget_usd: 0.5")
        let file = try folder.write("budget.yaml", priced)
        let run = try await Self.siuo(["run", file, "--database-url", url, "--workers", "1", "--concurrency", "2"])
        #expect(run.status == 3, "\(run.output)")
        #expect(run.output.contains("stopped: its budget is spent"))
        let pool = PostgresPool(url: url, size: 1)
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs WHERE state = 'queued'")[0].decode(Int.self, "n") > 0)
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs WHERE state = 'leased'")[0].decode(Int.self, "n") == 0)
    }

    @Test func theDemoInBatchModeRunsToTheEndShowsItsBatchesAndCountsThem() async throws {
        guard let scene = try await DemoScene.make(suite: "e2e_run_batch") else { return }
        defer { scene.folder.remove() }
        let batched = scene.text.replacingOccurrences(of: "lease_ttl_s: 30", with: "lease_ttl_s: 30\nbatch: true\nbatch_max_wait: 5s")
        let file = try scene.folder.write("demo-batch.yaml", batched)
        _ = try scene.folder.write(
            "demo-batch.mock.json", try String(contentsOfFile: RepositoryPaths.root + "/examples/demo-batch.mock.json", encoding: .utf8))
        let run = try await Self.siuo(["run", file, "--database-url", scene.url, "--workers", "1", "--concurrency", "4"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("batches: ") && run.output.contains("(0 open)"), "the batches are shown")
        #expect(run.output.contains("judge ") && run.output.contains("careful-vlm  batch_"), "a line per batch: model and provider id")
        #expect(run.output.contains("completed"))
        let pool = PostgresPool(url: scene.url, size: 1)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        #expect(try await pool.count("SELECT count(*) AS n FROM batches WHERE state <> 'collected'") == 0)
        #expect(
            try await pool.count("SELECT count(*) AS n FROM jobs WHERE kind IN ('generate', 'mcqa') AND batch_requests <> requests") == 0,
            "every target request went through a batch")
    }

    @Test func aDryRunValidatesAndEstimatesWithoutWriting() async throws {
        guard let scene = try await DemoScene.make(suite: "e2e_dry_run") else { return }
        defer { scene.folder.remove() }
        let (file, url) = (scene.file, scene.url)
        let dry = try await Self.siuo(["run", file, "--database-url", url, "--dry-run"])
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.output.contains("Sweep demo over 9 cases, 3 samples."))
        #expect(dry.output.contains("terse-vlm") && dry.output.contains("judging (judge)"))
        #expect(dry.output.contains("total: 216 jobs"))
        let pool = PostgresPool(url: url, size: 1)
        // With the dataset's files named, a dry run does not even touch the database.
        #expect(try await pool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'sweeps'")[0].decode(Int.self, "n") == 0)

        let broken = try scene.folder.write("broken.yaml", "name: x\nmodels:\n  - name: a\n    provider: nope\n    model: m\n")
        let bad = try await Self.siuo(["run", broken, "--database-url", url, "--dry-run"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("broken.yaml") && bad.output.contains("provider"))
    }

    @Test func aDryRunPricesBatchModelsAtTheDiscountAndNamesThem() async throws {
        guard SiuoProcess.requireBinary() else { return }
        // With the dataset's files named, a dry run needs no database.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let demo = try String(contentsOfFile: try Self.sweepFile(in: folder, port: try FreePort.find()), encoding: .utf8)
        let priced = demo.replacingOccurrences(of: "    rpm: 600\n", with: "    rpm: 600\n    price: {input_per_mtok: 100, output_per_mtok: 100}\n")
            .replacingOccurrences(of: "  rpm: 1200", with: "  rpm: 1200\n  price: {input_per_mtok: 10, output_per_mtok: 10, batch_discount: 0.25}")
        let live = try await Self.siuo(["run", try folder.write("live.yaml", priced), "--dry-run"])
        let batched = priced.replacingOccurrences(of: "lease_ttl_s: 30", with: "lease_ttl_s: 30\nbatch: true")
            .replacingOccurrences(of: "    multi_sample: false", with: "    multi_sample: false\n    batch: false")
        let batch = try await Self.siuo(["run", try folder.write("batch.yaml", batched), "--dry-run"])
        #expect(live.status == 0 && batch.status == 0, "\(live.output)\n\(batch.output)")
        /// The cost column of `model`'s row for `task`, and whether the row says batch.
        func row(_ output: String, _ model: String, _ task: String) -> (cost: Double, batch: Bool)? {
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(model + " ") && $0.contains(task) }),
                let cost = line.split(separator: "$").last.flatMap({ Double($0) })
            else { return nil }
            return (cost, line.contains(" batch "))
        }
        for (model, task, factor) in [
            ("careful-vlm", "generation", 0.5), ("eager-vlm", "mcqa", 0.5), ("terse-vlm", "generation", 1.0), ("careful-vlm", "judging", 0.75),
        ] {
            let before = try #require(row(live.output, model, task), "\(live.output)")
            let after = try #require(row(batch.output, model, task), "\(batch.output)")
            #expect(!before.batch && after.batch == (factor < 1), "\(model) \(task)")
            // Costs print with two decimals.
            #expect(abs(after.cost - before.cost * factor) <= 0.01, "\(model) \(task): \(before.cost) → \(after.cost)")
        }
        #expect(!live.output.contains("through batch APIs"))
        #expect(batch.output.contains("usually minutes): careful-vlm, eager-vlm, judge"), "\(batch.output)")
    }

    /// The demo as a user meets it: a trial over the first cases, the same
    /// command without the limit to finish, and once more to find nothing new.
    @Test func aTrialThenTheFullDemoThenAResumeAskNothingTwice() async throws {
        guard let scene = try await DemoScene.make(suite: "e2e_run_limit") else { return }
        defer { scene.folder.remove() }
        let (file, url) = (scene.file, scene.url)
        let dry = try await Self.siuo(["run", file, "--database-url", url, "--dry-run", "--limit", "2"])
        #expect(dry.output.contains("Sweep demo over the first 2 of 9 cases, 3 samples."), "\(dry.output)")
        #expect(dry.output.contains("total: 48 jobs"), "\(dry.output)")

        let trial = try await Self.siuo(["run", file, "--database-url", url, "--limit", "2", "--workers", "1", "--concurrency", "8"])
        #expect(trial.status == 0, "\(trial.output)")
        #expect(trial.output.contains("imported dataset siuo-sample: 9 cases"), "\(trial.output)")
        #expect(trial.output.contains("sweep demo: created, 12 new jobs (first 2 cases)"), "\(trial.output)")
        #expect(trial.output.contains("sweep demo is done."))
        let pool = PostgresPool(url: url, size: 1)
        let firstCases = try await pool.query(
            """
            SELECT DISTINCT c.question_id, c.position FROM jobs j JOIN cases c ON c.id = j.case_id ORDER BY c.position
            """
        ).map { try $0.decode(String.self, "question_id") }
        let datasetOrder = try await pool.query("SELECT question_id FROM cases ORDER BY position LIMIT 2").map {
            try $0.decode(String.self, "question_id")
        }
        #expect(firstCases == datasetOrder)
        let trialResponses = try await pool.query("SELECT id FROM responses").map { try $0.decode(Int64.self, "id") }
        let trialAnswers: Int = 3 * 2 * 3 + 3 * 2  // 3 models × 2 cases × 3 samples, and 3 × 2 MCQA answers
        #expect(trialResponses.count == trialAnswers)

        let full = try await Self.siuo(["run", file, "--database-url", url, "--workers", "2", "--concurrency", "8"])
        #expect(full.status == 0, "\(full.output)")
        #expect(full.output.contains("sweep demo: resumed, 42 new jobs"), "\(full.output)")
        #expect(full.output.contains("9/9"))
        let responses = Set(try await pool.query("SELECT id FROM responses").map { try $0.decode(Int64.self, "id") })
        let allAnswers: Int = 3 * 9 * 3 + 3 * 9
        #expect(responses.count == allAnswers)
        #expect(responses.isSuperset(of: trialResponses), "the trial's answers are kept, not asked again")
        #expect(try await pool.count("SELECT count(*) AS n FROM sweeps") == 1)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        let jobs = try await pool.count("SELECT count(*) AS n FROM jobs")

        let again = try await Self.siuo(["run", file, "--database-url", url])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("sweep demo: resumed, 0 new jobs"), "\(again.output)")
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs") == jobs)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == allAnswers)
    }

    @Test func aRunStartedAfterAKilledOneTakesBackItsLeasesAtOnce() async throws {
        guard let scene = try await DemoScene.make(suite: "e2e_run_takeback") else { return }
        defer { scene.folder.remove() }
        let (folder, demo, url) = (scene.folder, scene.text, scene.url)
        // Five minutes of lease: waiting out the TTL cannot happen within this test.
        let file = try folder.write("slow.yaml", demo.replacingOccurrences(of: "lease_ttl_s: 30", with: "lease_ttl_s: 300"))
        // Answers take an hour, so the first run's jobs are still leased when it is killed, however slow the
        // machine; the runs give a request two (a timed-out request would count an attempt).
        _ = try folder.write("slow.mock.json", #"{"latency_ms": {"mean": 3600000, "jitter": 0}}"#)
        let arguments = [
            "run", file, "--database-url", url, "--data-dir", folder.path + "/pg", "--workers", "1", "--concurrency", "4",
            "--request-timeout", "7200",
        ]
        let pool = PostgresPool(url: url, size: 1)

        let first = try SiuoProcess(arguments, waitForAddress: false)
        let leased = try await Self.leasedJobs(pool, atLeast: 2)
        #expect(leased.allSatisfy { $0.worker.hasPrefix("run-") })
        first.kill()
        // The first run's mock child notices its parent is gone (it looks every half second) and frees its
        // port, which the second run's mock needs: wait until the port refuses connections (libcurl's
        // code 7; an answer, a reset or a timeout means something still holds it).
        let mockPort = try #require(demo.firstMatch(of: /127\.0\.0\.1:(\d+)/).map { String($0.1) })
        try await waitUntil("the killed run's mock frees port \(mockPort)", every: .milliseconds(100)) {
            do {
                _ = try await TestHTTP.send("http://127.0.0.1:\(mockPort)/")
                return false
            } catch let error as HTTPClientError {
                return error.code == 7
            }
        }

        let second = try SiuoProcess(arguments, waitForAddress: false)
        defer { second.kill() }  // no graceful end needed: its database is thrown away
        let old = Set(leased.map(\.worker))
        var after: [(id: Int64, worker: String?, attempts: Int)] = []
        try await waitUntil("no job is held by the killed run's worker", every: .milliseconds(100)) {
            after = try await pool.query(
                "SELECT id, leased_by, attempts FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id",
                [PostgresTextArray(leased.map { String($0.id) })]
            ).map {
                (try $0.decode(Int64.self, "id"), try $0.decode(String?.self, "leased_by"), try $0.decode(Int.self, "attempts"))
            }
            return after.allSatisfy { $0.worker.map { !old.contains($0) } ?? true }
        }
        #expect(after.count == leased.count)
        for job in after {
            #expect(job.worker.map { !old.contains($0) } ?? true, "job \(job.id) is still held by the killed run's worker")
            #expect(job.attempts == leased.first { $0.id == job.id }?.attempts, "job \(job.id): taking back counts no attempt")
        }
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE attempts > 0") == 0)
        // The killed run's record goes; the live run's stays.
        try await waitUntil("only the live run's record is left", every: .milliseconds(100)) {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path + "/runs")) ?? []).count == 1
        }
    }

    /// Waits (`waitUntil`) until `count` jobs are leased; returns them.
    private static func leasedJobs(_ pool: PostgresPool, atLeast count: Int) async throws -> [(id: Int64, worker: String, attempts: Int)] {
        var rows: [PostgresRow] = []
        try await waitUntil("\(count) jobs are leased", every: .milliseconds(100)) {
            // Until the run has migrated the fresh database, there is no jobs table to read.
            rows = (try? await pool.query("SELECT id, leased_by, attempts FROM jobs WHERE state = 'leased' ORDER BY id")).map(Array.init) ?? []
            return rows.count >= count
        }
        return try rows.map {
            (try $0.decode(Int64.self, "id"), try $0.decode(String.self, "leased_by"), try $0.decode(Int.self, "attempts"))
        }
    }
}
