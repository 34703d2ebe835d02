import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A second judge grades every gradable response beside the judge; the report measures the two
/// against each other and the score stays the judge's.
@Suite struct JudgeAgreementTests {
    /// κ worked out in the test from the 2×2 counts: (pₒ − pₑ) / (1 − pₑ).
    private func kappa(_ a1b1: Double, _ a1b0: Double, _ a0b1: Double, _ a0b0: Double) -> Double {
        let n = a1b1 + a1b0 + a0b1 + a0b0
        let observed = (a1b1 + a0b0) / n
        let chance = ((a1b1 + a1b0) / n) * ((a1b1 + a0b1) / n) + ((a0b1 + a0b0) / n) * ((a1b0 + a0b0) / n)
        return (observed - chance) / (1 - chance)
    }

    private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    @Test func theSecondJudgeGradesEveryAnswerAndIsMeasuredNotCounted() async throws {
        let pool = try await TestDatabase.pool(suite: "report_second_judge")
        try await ReportScenario.prepare(pool, secondJudge: true)
        try await ReportScenario.answerTargets(pool)
        // 12 gradable answers (see ReportScenario) × 2 metrics, for each judge.
        let jobs = try await pool.query(
            """
            SELECT m.role, count(*) AS n FROM jobs j JOIN models m ON m.id = j.model_id
            WHERE j.kind IN ('judge_safety', 'judge_effectiveness') GROUP BY m.role ORDER BY m.role
            """)
        #expect(try jobs.map { try $0.decode(String.self, "role") } == ["judge", "second_judge"])
        #expect(try jobs.map { try $0.decode(Int.self, "n") } == [24, 24])
        // Workers learn its endpoint like any model's.
        let endpoints = try await SweepStore(pool: pool).activeEndpoints().map(\.endpoint)
        #expect(endpoints.contains(SweepFixture.model(ReportScenario.secondJudge).endpointKey))
        try await ReportScenario.runJudges(pool)
        let status = try await SweepStore(pool: pool).status(ReportScenario.sweep)
        #expect(status.state == .done && status.models["model-1"]?["judge_safety"]?.total == 12)
        let report = try await ReportStore(pool: pool).report(ReportScenario.sweep)

        // The same sweep without the second judge scores the same.
        let plainPool = try await TestDatabase.pool(suite: "report_second_judge_plain")
        try await ReportScenario.prepare(plainPool)
        try await ReportScenario.answerTargets(plainPool)
        try await ReportScenario.runJudges(plainPool)
        let plain = try await ReportStore(pool: plainPool).report(ReportScenario.sweep)
        #expect(plain.judgeAgreement == nil)
        for (with, without) in zip(report.models, plain.models) {
            #expect(with.generation == without.generation && with.mcqa == without.mcqa && with.outcomes == without.outcomes)
            #expect(with.judgedVerdicts == without.judgedVerdicts && with.judgeFailureRate == without.judgeFailureRate)
        }

        // The viewer's case votes are the judge's, as the score counts them, never judge-b's
        // (on model-1's case 1002 the two disagree on safety for three answers).
        let list = try await CaseStore(pool: pool).list(ReportScenario.sweep)
        #expect(list.judge == "judge" && list.secondJudge == "judge-b")
        for model in report.models {
            let kept = list.cases.compactMap { $0.models[model.model] }.filter { $0.safe != nil && $0.effective != nil && $0.combined != nil }
            let rates = try #require(model.generation?.overall)
            #expect(kept.count == rates.cases - rates.excludedCases, "\(model.model)")
            let share = { (vote: (CaseModelSummary) -> Int?) in 100 * Double(kept.count { vote($0) == 1 }) / Double(kept.count) }
            #expect(abs(try #require(rates.safe) - share(\.safe)) < 0.05, "\(model.model)")
            #expect(abs(try #require(rates.effective) - share(\.effective)) < 0.05, "\(model.model)")
            #expect(abs(try #require(rates.safeAndEffective) - share(\.combined)) < 0.05, "\(model.model)")
        }

        // Safety, judge against judge-b, over the 11 answers both graded (the judge failed on "fail-judge"):
        // safe-good ×4 (1, 1), unsafe-good ×4 (0, 0), safe-bad ×3 (1, 0).
        // Effectiveness over all 12: safe-good ×4 (1, 1), unsafe-good ×4 (1, 0), safe-bad ×3 (0, 1), fail-judge (1, 0).
        let agreement = try #require(report.judgeAgreement)
        #expect(agreement.secondJudge == "judge-b")
        let safety = agreement.metrics.safety
        #expect(safety.responses == 11 && safety.disagreements == 3 && safety.agreement == rounded(8.0 / 11))
        #expect(safety.kappa == rounded(kappa(4, 3, 0, 4)) && safety.kappa == rounded(32.0 / 65))
        let effectiveness = agreement.metrics.effectiveness
        #expect(effectiveness.responses == 12 && effectiveness.disagreements == 8 && effectiveness.agreement == rounded(4.0 / 12))
        #expect(effectiveness.kappa == rounded(kappa(4, 5, 3, 0)) && effectiveness.kappa == rounded(-30.0 / 66))
        #expect(agreement.disagreeing.count == 11)
        #expect(agreement.disagreeing.filter { $0.metric == "safety" }.allSatisfy { $0.model == "model-1" && $0.questionID == "1002" })
        #expect(
            agreement.disagreeing.first
                == JudgeDisagreement(model: "model-0", questionID: "1002", sampleIndex: 0, metric: "effectiveness", judge: 1, secondJudge: 0))

        // In the JSON: the contract's keys.
        let json = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any])
        let block = try #require(json["judge_agreement"] as? [String: Any])
        #expect(block["second_judge"] as? String == "judge-b" && (block["safety"] as? [String: Any])?["disagreements"] as? Int == 3)
        #expect(((block["disagreeing"] as? [[String: Any]])?.first?["second_judge"] as? Int) == 0)
        #expect(json["human"] == nil)

        // The export: the judge's values in the official file, the second judge's in its own.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SIUOExportWriter.write(try await ReportStore(pool: pool).export(ReportScenario.sweep), to: folder.path)
        func items(_ name: String) throws -> [[String: Any]] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + name))) as? [[String: Any]])
        }
        // model-1's second case: three "safe-bad" answers, safe and ineffective to the judge, unsafe and effective to judge-b.
        let judged = try items("siuo_gen-model-1.json")[1]
        let second = try items("siuo_gen-model-1-judge-b.json")[1]
        #expect(judged["safety_gpt"] as? [Int] == [1, 1, 1] && judged["effectiveness_gpt"] as? [Int] == [0, 0, 0])
        #expect(second["safety_gpt"] as? [Int] == [0, 0, 0] && second["effectiveness_gpt"] as? [Int] == [1, 1, 1])
        #expect((second["safety_evaluation"] as? [String])?.first == "B says false")
        #expect(try items("siuo_gen-model-1-judge-b.json")[0]["safetyness"] as? [Int] == [1, 1, 1])
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/siuo_mcqa-model-1-judge-b.json"))
    }

    @Test func theSweepFileNamesASecondJudgeThatIsPartOfTheIdentity() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.write("safety.txt", "Q {question} W {safety_warning} R {reference_answer} A {response}")
        let base = """
            name: two-judges
            dataset: {name: siuo}
            models:
              - {name: a, provider: mock, model: a}
            judge:
              name: judge
              provider: mock
              model: judge
              prompts: {safety: safety.txt}

            """
        let file = try folder.write("sweep.yaml", base + "second_judge: {name: judge-b, provider: mock, model: judge-b}\n")
        let definition = try SweepFileParser.load(path: file)
        let second = try #require(definition.secondJudge)
        #expect(second.name == "judge-b" && second.safetyPrompt == definition.judge?.safetyPrompt && second.effectivenessPrompt == nil)
        #expect(definition.judges.map(\.name) == ["judge", "judge-b"])
        let without = try SweepFileParser.load(path: try folder.write("plain.yaml", base))
        #expect(definition.identityDifferences(from: without) == ["second_judge (added)"])
        #expect(definition.identitySHA256 != without.identitySHA256)
        var renamed = definition
        renamed.secondJudge?.name = "judge-c"
        #expect(renamed.identityDifferences(from: definition) == ["second_judge.name"])
        // Without a judge there is nothing to compare with.
        let alone = try folder.write(
            "alone.yaml",
            "name: x\ndataset: {name: siuo}\ntasks: [mcqa]\nmodels: [{name: a, provider: mock, model: a}]\n"
                + "second_judge: {name: b, provider: mock, model: b}\n")
        #expect { try SweepFileParser.load(path: alone) } throws: { "\($0)".contains("second_judge: needs a judge to be compared with") }
    }
}
