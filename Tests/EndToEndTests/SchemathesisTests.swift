import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The API contract checked from outside: Schemathesis (PyPI) drives a `siuo coordinator` child from
/// docs/openapi.yaml, every operation with valid and invalid inputs and a token, and fails on any 5xx,
/// any response that does not match the schema, and any undocumented status. CI runs a short form
/// (`SIUO_SCHEMATHESIS_EXAMPLES`, default 15 per operation); scripts/schemathesis runs a long one.
@Suite(.serialized) struct SchemathesisTests {
    static var schemathesis: String? {
        let path = RepositoryPaths.root + "/.siuo/venv/bin/schemathesis"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    @Test(.enabled(if: schemathesis != nil, "run through scripts/test, which installs Schemathesis"))
    func theCoordinatorKeepsTheContractOfItsOpenAPIFile() async throws {
        let url = try await TestDatabase.freshDatabase(suite: "e2e_schemathesis")
        let pool = PostgresPool(url: url, size: 2)
        _ = try await Migrator(pool: pool).migrate()
        // The file's example sweep name exists, so the examples reach real data.
        try await SweepFixture.importDataset(pool, cases: 2)
        _ = try await SweepStore(pool: pool).submit(SweepFixture.definition(name: "demo", models: 1, samples: 1))
        let coordinator = try SiuoProcess(
            [
                "coordinator", "--database-url", url, "--listen", "127.0.0.1:0", "--pool-size", "4", "--failed-auth-limit", "1000000",
                "--drain-seconds", "0",
            ],
            environment: [
                "SIUO_WORKER_TOKEN": TestCoordinator.workerToken, "SIUO_ADMIN_TOKEN": TestCoordinator.adminToken,
                "SIUO_VIEWER_TOKEN": TestCoordinator.viewerToken, "SIUO_REVIEWER_TOKEN": TestCoordinator.reviewerToken,
            ], waitForAddress: true)
        defer { coordinator.stop() }
        let base = try #require(coordinator.baseURL)
        let examples = ProcessInfo.processInfo.environment["SIUO_SCHEMATHESIS_EXAMPLES"] ?? "15"
        // Every check runs (Schemathesis' default; scripts/schemathesis.toml turns one off where a rule spans
        // fields). One worker: CPython 3.11's ast.parse, which Hypothesis calls, is not thread-safe.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let ended = try await PosixSpawn.runOffPool(
            try #require(Self.schemathesis),
            [
                "--config-file", RepositoryPaths.root + "/scripts/schemathesis.toml", "run", RepositoryPaths.root + "/docs/openapi.yaml",
                "--url", base, "-H", "Authorization: Bearer \(TestCoordinator.adminToken)", "--max-examples", examples,
                "--seed", "20261202", "--workers", "1", "--no-color", "--request-timeout", "300", "--phases", "examples,coverage,fuzzing,stateful",
            ], environment: ProcessInfo.processInfo.environment.merging(["SCHEMATHESIS_TELEMETRY": "false"]) { $1 },
            stdout: folder.path + "/out", stderr: folder.path + "/err")
        let output = (try? String(contentsOfFile: folder.path + "/out", encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: folder.path + "/err", encoding: .utf8)) ?? ""
        // The summary, for the record: operations tested and cases generated.
        let summary = output.split(separator: "\n").filter { $0.contains("Tested:") || $0.contains("generated") || $0.contains("Selected:") }
        print("schemathesis: " + summary.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; "))
        #expect(ended.status == 0, "Schemathesis found problems:\n\(output.suffix(12_000))\n\(errors.suffix(2000))")
        #expect(
            output.contains("Tested: \(try OpenAPIFile.operations(at: RepositoryPaths.root + "/docs/openapi.yaml").count)"),
            "every operation is tested")
    }
}
