import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo run` as a user runs it: one process, the sample dataset, mock
/// models on a port of the test's own, then the same command again.
@Suite(.serialized) struct RunCommandTests {
    /// The demo sweep, moved to a free port so tests never meet a running demo.
    static func sweepFile(in folder: TemporaryFolder, port: Int) throws -> String {
        let demo = try String(contentsOfFile: RepositoryPaths.root + "/examples/demo.yaml", encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:8787", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "siuo-sample/", with: RepositoryPaths.sampleDataset + "/")
        _ = try folder.write("demo.mock.json", try String(contentsOfFile: RepositoryPaths.root + "/examples/demo.mock.json", encoding: .utf8))
        return try folder.write("demo.yaml", demo)
    }

    /// Runs `siuo arguments…` to the end; returns its exit status and output.
    static func siuo(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(SiuoProcess.binary))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theDemoRunsToTheEndAndAgainResumesWithNothingNew() async throws {
        guard SiuoProcess.binary != nil else { Issue.record("build siuo first (swift build)"); return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try Self.sweepFile(in: folder, port: try FreePort.find())
        let url = try await TestDatabase.freshDatabase(suite: "e2e_run")

        let first = try Self.siuo(["run", file, "--database-url", url, "--workers", "2", "--concurrency", "8"])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("imported dataset siuo-sample: 9 cases"))
        #expect(first.output.contains("sweep demo is done."))
        let pool = PostgresPool(url: url, size: 1)
        let jobs = try await pool.query("SELECT count(*) AS n FROM jobs")[0].decode(Int.self, "n")
        let responses = try await pool.query("SELECT count(*) AS n FROM responses")[0].decode(Int.self, "n")
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs WHERE state <> 'done'")[0].decode(Int.self, "n") == 0)
        #expect(responses == 3 * 9 * 3 + 3 * 9)

        let second = try Self.siuo(["run", file, "--database-url", url])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("sweep demo: resumed, 0 new jobs"))
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs")[0].decode(Int.self, "n") == jobs)
        #expect(try await pool.query("SELECT count(*) AS n FROM responses")[0].decode(Int.self, "n") == responses)
    }

    @Test func aSpentBudgetStopsTheRunAndSaysSo() async throws {
        guard SiuoProcess.binary != nil else { Issue.record("build siuo first (swift build)"); return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let demo = try String(contentsOfFile: try Self.sweepFile(in: folder, port: try FreePort.find()), encoding: .utf8)
        // $100 per million input tokens: a request of about a thousand tokens costs about $0.10.
        let priced = demo.replacingOccurrences(of: "    rpm: 600\n", with: "    rpm: 600\n    price: {input_per_mtok: 100, output_per_mtok: 100}\n")
            .replacingOccurrences(of: "lease_ttl_s: 30", with: "lease_ttl_s: 30\nbudget_usd: 0.5")
        let file = try folder.write("budget.yaml", priced)
        let url = try await TestDatabase.freshDatabase(suite: "e2e_run_budget")
        let run = try Self.siuo(["run", file, "--database-url", url, "--workers", "1", "--concurrency", "2"])
        #expect(run.status == 3, "\(run.output)")
        #expect(run.output.contains("stopped: its budget is spent"))
        let pool = PostgresPool(url: url, size: 1)
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs WHERE state = 'queued'")[0].decode(Int.self, "n") > 0)
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs WHERE state = 'leased'")[0].decode(Int.self, "n") == 0)
    }

    @Test func aDryRunValidatesAndEstimatesWithoutWriting() async throws {
        guard SiuoProcess.binary != nil else { Issue.record("build siuo first (swift build)"); return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try Self.sweepFile(in: folder, port: try FreePort.find())
        let url = try await TestDatabase.freshDatabase(suite: "e2e_dry_run")
        let dry = try Self.siuo(["run", file, "--database-url", url, "--dry-run"])
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.output.contains("Sweep demo over 9 cases, 3 samples."))
        #expect(dry.output.contains("terse-vlm") && dry.output.contains("judging (judge)"))
        #expect(dry.output.contains("total: 216 jobs"))
        let pool = PostgresPool(url: url, size: 1)
        // With the dataset's files named, a dry run does not even touch the database.
        #expect(try await pool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'sweeps'")[0].decode(Int.self, "n") == 0)

        let broken = try folder.write("broken.yaml", "name: x\nmodels:\n  - name: a\n    provider: nope\n    model: m\n")
        let bad = try Self.siuo(["run", broken, "--database-url", url, "--dry-run"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("broken.yaml") && bad.output.contains("provider"))
    }
}
