import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The command line as a script sees it: exit statuses, `--json` documents
/// alone on stdout, `--limit`, and the report format taken from `--out`.
@Suite(.serialized) struct CommandLineTests {
    /// An MCQA-only sweep over the fixture dataset with one mock model.
    static let sweepYAML = """
        name: cli
        dataset: {name: fixture}
        tasks: [mcqa]
        models:
          - name: m1
            provider: mock
            model: vlm
        """

    /// stdout must be exactly one JSON object.
    private func document(_ finished: SiuoProcess.Finished) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(finished.stdout.utf8))
        return try #require(value as? [String: Any], "stdout is not one JSON object: \(finished.stdout)")
    }

    @Test func helpTextsListTheExitStatuses() async throws {
        guard SiuoProcess.requireBinary() else { return }
        for command in [[], ["run"], ["sweep", "submit"], ["report"], ["db", "status"], ["sweep", "cancel"]] {
            let help = try await SiuoProcess.run(command + ["--help"])
            #expect(help.status == 0)
            let text = help.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
            #expect(text.contains("Exit status: 0 success; 1 failure"), "\(command): \(help.stdout)")
            #expect(text.contains("2 bad input"), "\(command)")
        }
        let run = try await SiuoProcess.run(["run", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(run.contains("3 the sweep's budget_usd is spent") && run.contains("130 interrupted"))
        for command in [["bench"], ["bench", "coordinator"], ["bench", "worker"], ["bench", "sweep"], ["bench", "batch"]] {
            let help = try await SiuoProcess.run(command + ["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            #expect(help.split(separator: " ").joined(separator: " ").contains("Exit status: 0 success; 1 failure"), "\(command)")
        }
    }

    /// The README's and the operations guide's tables list exactly the statuses `siuo --help` gives (`SiuoExit`).
    @Test func theDocumentedExitStatusesAreTheOnesTheCommandsGive() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let help = try await SiuoProcess.run(["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        let paragraph = try #require(help.firstMatch(of: /Exit status: ([^.]*)\./)?.1)
        let codes = Set(paragraph.split(separator: ";").compactMap { Int($0.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) })
        #expect(codes == [0, 1, 2, 3, 130], "\(paragraph)")
        for file in ["README.md", "docs/operations.md"] {
            let text = try String(contentsOfFile: RepositoryPaths.root + "/" + file, encoding: .utf8)
            let rows = Set(text.split(separator: "\n").compactMap { line in line.firstMatch(of: #/^\| (\d+) \| /#).flatMap { Int($0.1) } })
            #expect(rows == codes, "\(file): \(rows.sorted())")
        }
    }

    @Test func aBadSweepFileExits2WithOneLineNamingFileLineAndField() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write(
            "broken.yaml", "name: x\ndataset: {name: d}\ntasks: [mcqa]\nmodels:\n  - name: a\n    provider: nope\n    model: m\n")
        // Nothing listens here: the file is refused before any coordinator or database is asked.
        let nowhere = ["SIUO_COORDINATOR_URL": "http://127.0.0.1:9", "SIUO_ADMIN_TOKEN": "t", "SIUO_DATABASE_URL": "postgresql://127.0.0.1:9/none"]
        for command in [["run", broken], ["run", broken, "--dry-run"], ["sweep", "submit", broken], ["sweep", "submit", broken, "--json"]] {
            let finished = try await SiuoProcess.run(command, environment: nowhere)
            #expect(finished.status == 2, "\(command): \(finished.output)")
            #expect(finished.stdout.isEmpty, "\(command)")
            #expect(finished.stderr.hasPrefix(broken + ":6: models[0].provider: unknown provider \"nope\""), "\(command): \(finished.stderr)")
            #expect(finished.stderr.split(separator: "\n").count == 1, "\(command): \(finished.stderr)")
        }
        // Dataset files that cannot be imported are bad input too, found before the database is asked.
        let noData = try await SiuoProcess.run(
            ["dataset", "import", "d", "--gen", folder.path + "/missing.json", "--images", folder.path],
            environment: nowhere)
        #expect(noData.status == 2 && noData.stderr.contains("missing.json"), "\(noData.output)")
        let file = try folder.write("sweep.yaml", Self.sweepYAML)
        for command in [["run", file, "--limit", "0"], ["sweep", "submit", file, "--limit=-3"]] {
            let finished = try await SiuoProcess.run(command, environment: nowhere)
            #expect(finished.status == 2, "\(command): \(finished.output)")
            #expect(finished.stderr.contains("--limit must be at least 1"), "\(command): \(finished.stderr)")
        }
    }

    /// Bad input that only `siuo run` or the coordinator can see is still found before anything
    /// is written, and exits 2 like every other.
    @Test func missingTokensAndRemoteMocksAndOutOfRangeFieldsAreBadInput() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let nowhere = [
            "SIUO_COORDINATOR_URL": "http://127.0.0.1:9", "SIUO_ADMIN_TOKEN": "t", "SIUO_DATABASE_URL": "postgresql://127.0.0.1:9/none",
        ]
        var noWorkerToken = nowhere
        noWorkerToken["SIUO_WORKER_TOKEN"] = ""
        let missing = try await SiuoProcess.run(["coordinator"], environment: noWorkerToken)
        #expect(missing.status == 2 && missing.stderr.contains("SIUO_WORKER_TOKEN"), "\(missing.output)")
        var sharedToken = nowhere
        sharedToken["SIUO_WORKER_TOKEN"] = "t"
        let shared = try await SiuoProcess.run(["coordinator"], environment: sharedToken)
        #expect(shared.status == 2 && shared.stderr.contains("each role needs its own token"), "\(shared.output)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let remote = try folder.write(
            "remote.yaml", Self.sweepYAML.replacingOccurrences(of: "provider: mock", with: "provider: mock\n    base_url: http://10.1.2.3:8787/v1"))
        for command in [["run", remote], ["run", remote, "--dry-run"]] {
            let finished = try await SiuoProcess.run(command, environment: nowhere)
            #expect(finished.status == 2, "\(command): \(finished.output)")
            #expect(finished.stderr.hasPrefix(remote + ": models[0].base_url: http://10.1.2.3:8787/v1 is not"), "\(command): \(finished.stderr)")
        }
        let huge = try folder.write("huge.yaml", Self.sweepYAML + "\nsamples: 5000\n")
        for command in [["run", huge, "--dry-run"], ["sweep", "submit", huge]] {
            let finished = try await SiuoProcess.run(command, environment: nowhere)
            #expect(finished.status == 2, "\(command): \(finished.output)")
            #expect(
                finished.stderr.contains(huge + ":") && finished.stderr.contains(": samples: must be between 1 and 1000"),
                "\(command): \(finished.stderr)")
        }
    }

    @Test func badDatabaseTimeoutsAreBadInputNamingTheSetting() async throws {
        guard SiuoProcess.requireBinary() else { return }
        // Refused while parsing, before any token, coordinator or database is asked.
        let nowhere = ["SIUO_DATABASE_URL": "postgresql://127.0.0.1:9/none"]
        let flag = try await SiuoProcess.run(["coordinator", "--statement-timeout", "soon"], environment: nowhere)
        #expect(flag.status == 2, "\(flag.output)")
        #expect(flag.stderr.contains("--statement-timeout (or SIUO_STATEMENT_TIMEOUT): expected a number of seconds"), "\(flag.output)")
        var environment = nowhere
        environment["SIUO_IDLE_IN_TRANSACTION_TIMEOUT"] = "-5"
        let variable = try await SiuoProcess.run(["db", "migrate"], environment: environment)
        #expect(variable.status == 2, "\(variable.output)")
        #expect(variable.stderr.contains("SIUO_IDLE_IN_TRANSACTION_TIMEOUT"), "\(variable.output)")
        // A pool without connections is bad input too, not a crash.
        let pool = try await SiuoProcess.run(["coordinator", "--pool-size", "0"], environment: nowhere)
        #expect(pool.status == 2 && pool.stderr.contains("--pool-size"), "\(pool.output)")
        for command in [["run", "sweep.yaml", "--request-timeout", "0"], ["worker", "--request-timeout=-1"]] {
            let timeout = try await SiuoProcess.run(command, environment: nowhere)
            #expect(timeout.status == 2 && timeout.stderr.contains("--request-timeout must be a positive number"), "\(timeout.output)")
        }
    }

    @Test func dbStatusJSONIsOneDocument() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let status = try await SiuoProcess.run(["db", "status", "--json", "--data-dir", folder.path + "/pg"], environment: ["SIUO_DATABASE_URL": ""])
        #expect(status.status == 0, "\(status.output)")
        let document = try document(status)
        #expect(document["state"] as? String == "not_created")
        #expect(document["directory"] as? String == folder.path + "/pg")
        #expect(document["pid"] is NSNull && document["url"] is NSNull)
    }

    @Test func submitAndSteeringSpeakJSONAndALimitIsExtendedLater() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let url = try await TestDatabase.freshDatabase(suite: "e2e_cli_json")
        let pool = PostgresPool(url: url, size: 1)
        try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 4)
        let coordinator = try CoordinatorProcess(databaseURL: url)
        defer { coordinator.stop() }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("sweep.yaml", Self.sweepYAML)
        let admin = ["SIUO_COORDINATOR_URL": coordinator.baseURL, "SIUO_ADMIN_TOKEN": TestCoordinator.adminToken]

        let trial = try await SiuoProcess.run(["sweep", "submit", file, "--limit", "1", "--json"], environment: admin)
        #expect(trial.status == 0, "\(trial.output)")
        let created = try document(trial)
        #expect(created["sweep"] as? String == "cli" && created["outcome"] as? String == "created")
        #expect(created["jobs"] as? Int == 1 && created["limit"] as? Int == 1)

        let paused = try await SiuoProcess.run(["sweep", "pause", "cli", "--json"], environment: admin)
        #expect(paused.status == 0, "\(paused.output)")
        #expect(try document(paused)["state"] as? String == "paused")
        let resumed = try await SiuoProcess.run(["sweep", "resume", "cli", "--json"], environment: admin)
        let status = try document(resumed)
        #expect(status["state"] as? String == "running")
        #expect((status["jobs"] as? [String: Any])?["total"] as? Int == 1)

        let full = try await SiuoProcess.run(["sweep", "submit", file, "--json"], environment: admin)
        let extended = try document(full)
        #expect(extended["outcome"] as? String == "resumed" && extended["jobs"] as? Int == 3 && extended["limit"] is NSNull)
        let smaller = try await SiuoProcess.run(["sweep", "submit", file, "--limit", "2"], environment: admin)
        #expect(smaller.status == 0 && smaller.stdout == "resumed sweep cli: 0 new jobs (first 2 cases)\n", "\(smaller.output)")
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs")[0].decode(Int.self, "n") == 4)

        let missing = try await SiuoProcess.run(["sweep", "cancel", "nope", "--json"], environment: admin)
        #expect(missing.status == 1 && missing.stdout.isEmpty, "\(missing.output)")
    }

    @Test func theReportFormatComesFromTheOutFileExtension() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let url = try await TestDatabase.freshDatabase(suite: "e2e_cli_report")
        let pool = PostgresPool(url: url, size: 1)
        try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 2)
        try await SweepStore(pool: pool).submit(SweepFixture.definition(name: "rep", models: 1, tasks: [.mcqa]))
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = ["--database-url", url]

        func report(_ out: String, _ extra: [String] = []) async throws -> (SiuoProcess.Finished, String?) {
            let path = folder.path + "/" + out
            let finished = try await SiuoProcess.run(["report", "rep", "--out", path] + extra + database)
            return (finished, try? String(contentsOfFile: path, encoding: .utf8))
        }
        let (json, jsonText) = try await report("r.json")
        #expect(json.status == 0, "\(json.output)")
        #expect(try JSONSerialization.jsonObject(with: Data(try #require(jsonText).utf8)) is [String: Any])
        let (_, html) = try await report("r.HTML")
        #expect(html?.contains("<html") == true)
        let (_, htm) = try await report("r.htm")
        #expect(htm?.contains("<html") == true)
        let (_, markdown) = try await report("r.md")
        #expect(markdown?.contains("| ") == true && markdown?.contains("<html") == false)
        let (_, csv) = try await report("r.csv")
        #expect(csv?.hasPrefix("\"model\",") == true, "\(csv ?? "")")
        let (_, table) = try await report("r.txt")
        #expect(table?.contains("model") == true && table?.contains("|") == false)
        // --format wins over the extension.
        let (_, forced) = try await report("forced.json", ["--format", "csv"])
        #expect(forced?.hasPrefix("\"model\",") == true)

        let (unknown, written) = try await report("r.xyz")
        #expect(unknown.status == 2, "\(unknown.output)")
        #expect(unknown.stderr.contains("r.xyz") && unknown.stderr.contains(".json") && unknown.stderr.contains("--format"), "\(unknown.stderr)")
        #expect(written == nil)
        let (noExtension, _) = try await report("report")
        #expect(noExtension.status == 2)
    }

    @Test func runSaysWhichKeysThisMachineLacksAndTakesGoogleAPIKeyForGemini() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sample = RepositoryPaths.sampleDataset
        let file = try folder.write(
            "keys.yaml",
            """
            name: keys
            dataset: {name: siuo-sample, gen: \(sample)/gen.json, mcqa: \(sample)/mcqa.json, images: \(sample)/images}
            tasks: [mcqa]
            models:
              - {name: gem, provider: gemini, model: gemini-2.5-flash}
              - {name: gem-own-key, provider: gemini, model: gemini-2.5-pro, api_key_env: MY_GEMINI_KEY}
            """)
        let unset = ["GEMINI_API_KEY": "", "GOOGLE_API_KEY": "", "MY_GEMINI_KEY": "", "SIUO_DATABASE_URL": ""]
        let none = try await SiuoProcess.run(["run", file, "--dry-run"], environment: unset)
        #expect(none.status == 0, "\(none.output)")
        #expect(none.stderr.contains("warning: model gem needs a key in $GEMINI_API_KEY (or $GOOGLE_API_KEY)"), "\(none.stderr)")
        #expect(none.stderr.contains("warning: model gem-own-key needs a key in $MY_GEMINI_KEY;"), "\(none.stderr)")

        var google = unset
        google["GOOGLE_API_KEY"] = "google-key"
        let withGoogle = try await SiuoProcess.run(["run", file, "--dry-run"], environment: google)
        #expect(withGoogle.status == 0)
        #expect(!withGoogle.stderr.contains("model gem needs"), "\(withGoogle.stderr)")
        // A variable the file names is used alone: GOOGLE_API_KEY does not stand in for it.
        #expect(withGoogle.stderr.contains("model gem-own-key needs a key in $MY_GEMINI_KEY;"), "\(withGoogle.stderr)")
        #expect(!withGoogle.output.contains("google-key"), "a key is never printed")
    }
}
