import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo labels export|import` as a user runs them against a database: a round trip into a fresh
/// database gives the same labels, and a bad file exits 2 naming file, line and field, writing nothing.
@Suite(.serialized) struct LabelsCommandTests {
    /// A database with a sweep `labels` whose generate jobs are answered (two models, two cases, two samples).
    private func scene(_ suite: String) async throws -> (url: String, pool: PostgresPool) {
        let url = try await TestDatabase.freshDatabase(suite: suite)
        let pool = PostgresPool(url: url, size: 2)
        try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 2)
        let definition = SweepFixture.definition(name: "labels", models: 2, tasks: [.generation], samples: 2)
        _ = try await SweepStore(pool: pool).submit(definition)
        try await SweepFixture.completeAll(pool, endpoints: definition.models.map(\.endpointKey), workerID: "t")
        return (url, pool)
    }

    private func portable(_ labels: [HumanLabel]) -> [HumanLabel] {
        labels.map { label in
            var label = label
            label.responseID = nil
            return label
        }
    }

    @Test func exportThenImportIntoAFreshDatabaseGivesTheSameLabels() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let source = try await scene("e2e_labels_source")
        let labels = [
            HumanLabel(
                model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "alice", safe: true, effectiveness: .very,
                labelledAt: "2026-11-30T08:00:00Z"),
            HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "bob.b@example-org", safe: false, effectiveness: nil),
            HumanLabel(model: "model-1", questionID: "1002", sampleIndex: 1, reviewer: "alice", safe: nil, effectiveness: .partially),
            HumanLabel(model: "model-1", questionID: "1001", sampleIndex: 1, reviewer: "carol_c", safe: true, effectiveness: .ineffective),
        ]
        try await LabelStore(pool: source.pool).write(labels, sweep: "labels")
        let exported = try await LabelStore(pool: source.pool).labels("labels")

        for format in ["csv", "json"] {
            let target = try await scene("e2e_labels_target_\(format)")
            let file = folder.path + "/labels.\(format)"
            let export = try await SiuoProcess.run(["labels", "export", "labels", "--out", file, "--database-url", source.url])
            #expect(export.status == 0, "\(export.output)")
            #expect(export.stdout.contains("wrote 4 labels to \(file)"))
            let imported = try await SiuoProcess.run(["labels", "import", "labels", file, "--database-url", target.url])
            #expect(imported.status == 0, "\(imported.output)")
            let read = try await LabelStore(pool: target.pool).labels("labels")
            #expect(portable(read) == portable(exported), "\(format)")
            // Printed without --out, the same bytes the file holds.
            let printed = try await SiuoProcess.run(["labels", "export", "labels", "--format", format, "--database-url", target.url])
            let saved = try String(contentsOfFile: file, encoding: .utf8)
            #expect(printed.status == 0 && printed.stdout == saved, "\(format)")
        }
    }

    @Test func aBadFileExits2NamingFileLineAndFieldAndWritesNothing() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let target = try await scene("e2e_labels_bad")
        let header = LabelCSV.header.joined(separator: ",") + "\n"
        let good = "model-0,1001,0,,alice,true,very,\n"
        let files: [(String, String, String)] = [
            ("value.csv", header + good + "model-0,1001,1,,alice,yes,very,\n", ":3: safe: expected true, false or empty, got \"yes\""),
            ("sample.csv", header + good + "model-0,1001,7,,alice,true,very,\n", ":3: no response of model \"model-0\" to case \"1001\", sample 7"),
            ("time.csv", header + good + "model-1,1002,0,,bob,false,,noon\n", ":3: labelled_at: expected an ISO 8601 time"),
            ("field.json", #"{"labels": [{"reviewer": "a", "safe": 1}]}"#, ": labels[0].safe: expected true or false"),
        ]
        for (name, text, message) in files {
            let file = try folder.write(name, text)
            let run = try await SiuoProcess.run(["labels", "import", "labels", file, "--database-url", target.url])
            #expect(run.status == 2, "\(name): \(run.output)")
            #expect(run.stderr.hasPrefix(file + message), "\(name): \(run.stderr)")
        }
        #expect(try await LabelStore(pool: target.pool).labels("labels").isEmpty)
        let unnamed = try folder.write("labels.txt", header + good)
        let run = try await SiuoProcess.run(["labels", "import", "labels", unnamed, "--database-url", target.url])
        #expect(run.status == 2 && run.stderr.contains("--format"), "\(run.output)")
        let missing = try await SiuoProcess.run(["labels", "export", "nope", "--format", "csv", "--database-url", target.url])
        #expect(missing.status == 1 && missing.stderr.contains("no sweep named \"nope\""), "\(missing.output)")
    }
}
