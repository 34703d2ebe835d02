import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo run` of the demo with a second judge: its jobs run beside the judge's, the report
/// measures the two judges against each other, and the score is the one the same sweep gets
/// without it.
@Suite(.serialized) struct SecondJudgeRunTests {
    @Test func theSecondJudgesJobsRunAndTheScoreIsTheSameWithoutIt() async throws {
        guard let scene = try await RunCommandTests.DemoScene.make(suite: "e2e_second_judge") else { return }
        defer { scene.folder.remove() }
        let judge = "judge:\n  name: judge\n  provider: mock\n  model: judge-vlm\n"
        #expect(scene.text.contains(judge))
        let secondJudge = scene.text.replacingOccurrences(
            of: judge, with: "second_judge:\n  name: judge-b\n  provider: mock\n  model: judge-b-vlm\n  base_url: \(baseURL(scene.text))\n" + judge)
        let file = try scene.folder.write("two-judges.yaml", secondJudge)
        // The mock models behave as the demo's: their config sits beside the sweep file, by its name.
        _ = try scene.folder.write(
            "two-judges.mock.json", try String(contentsOfFile: scene.folder.path + "/demo.mock.json", encoding: .utf8))
        let arguments = ["--limit", "4", "--workers", "1", "--concurrency", "8"]
        let run = try await RunCommandTests.siuo(["run", file, "--database-url", scene.url] + arguments)
        #expect(run.status == 0, "\(run.output)")
        let pool = PostgresPool(url: scene.url, size: 2)
        let roles = try await pool.query(
            """
            SELECT m.role, count(*) AS n, count(*) FILTER (WHERE j.state = 'done') AS done
            FROM jobs j JOIN models m ON m.id = j.model_id
            WHERE j.kind IN ('judge_safety', 'judge_effectiveness') GROUP BY m.role ORDER BY m.role
            """)
        #expect(try roles.map { try $0.decode(String.self, "role") } == ["judge", "second_judge"])
        let counts = try roles.map { (try $0.decode(Int.self, "n"), try $0.decode(Int.self, "done")) }
        #expect(counts.count == 2 && counts[0].0 > 0 && counts[0] == counts[1] && counts[1].0 == counts[1].1, "\(counts)")
        let report = try await ReportStore(pool: pool).report("demo")
        let agreement = try #require(report.judgeAgreement)
        #expect(agreement.secondJudge == "judge-b" && agreement.metrics.safety.responses > 0)
        #expect(agreement.metrics.safety.disagreements == agreement.disagreeing.filter { $0.metric == "safety" }.count)
        #expect(report.provenance.judges?.keys.sorted() == ["judge", "judge-b"])

        let plainURL = try await TestDatabase.freshDatabase(suite: "e2e_second_judge_plain")
        let plain = try await RunCommandTests.siuo(["run", scene.file, "--database-url", plainURL] + arguments)
        #expect(plain.status == 0, "\(plain.output)")
        let without = try await ReportStore(pool: PostgresPool(url: plainURL, size: 2)).report("demo")
        #expect(without.judgeAgreement == nil && without.models.count == report.models.count)
        for (with, other) in zip(report.models, without.models) {
            #expect(with.generation == other.generation, "\(with.model)")
            #expect(with.mcqa == other.mcqa && with.outcomes == other.outcomes && with.judgeFailureRate == other.judgeFailureRate)
        }
    }

    private func baseURL(_ text: String) -> String {
        let line = text.split(separator: "\n").first { $0.contains("base_url:") }!
        return line.split(separator: " ").last.map(String.init)!
    }
}
