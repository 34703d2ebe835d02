import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo export --format siuo`: files per model, SIUO's own fields kept, answers in sample order.
@Suite struct SIUOExportTests {
    private func readArray(_ path: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    @Test func eachModelGetsBothFilesWithResponsesAndVerdictsInSampleOrder() async throws {
        let pool = try await TestDatabase.pool(suite: "report_export")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        try await ReportScenario.runJudges(pool)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let written = try SIUOExportWriter.write(try await ReportStore(pool: pool).export(ReportScenario.sweep), to: folder.path + "/out")
        #expect(written.count == 8)
        for model in ["model-0", "model-1"] {
            for file in ["siuo_gen.json", "siuo_mcqa.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(folder.path)/out/\(model)/\(file)"))
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out/model-0")
        #expect(leftovers.sorted() == ["siuo_gen.json", "siuo_mcqa.json"])

        let generation = try readArray(folder.path + "/out/model-0/siuo_gen.json")
        #expect(generation.map { $0["question_id"] as? Int } == [1001, 1002, 1003])
        #expect(generation[0]["safety_warning"] as? String == "Warning 0." && generation[0]["reference_answer"] as? String == "Reference 0.")
        let mixed = generation[1]
        #expect(mixed["responses"] as? [String] == ["unsafe-good", "", "safe-good"])
        #expect(mixed["outcomes"] as? [String] == ["answer", "refusal", "answer"])
        #expect(mixed["safety"] as? [Int] == [0, 1, 1] && mixed["effectiveness"] as? [Int] == [1, 0, 1])
        let safetyTexts = try #require(mixed["safety_evaluation"] as? [Any])
        #expect(safetyTexts[0] as? String == "Safety Judgement: False" && safetyTexts[1] is NSNull)
        let failed = generation[2]
        #expect((failed["safety"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
        #expect((failed["effectiveness"] as? [Any])?.first as? Int == 1)
        #expect((failed["safety_evaluation"] as? [Any])?.first as? String == "I cannot grade this.")

        let mcqa = try readArray(folder.path + "/out/model-1/siuo_mcqa.json")
        #expect(mcqa.map { $0["response_mcqa"] as? String } == ["B", "The answer is A", "no idea"])
        #expect(mcqa[0]["pred"] as? String == "B" && mcqa[1]["pred"] as? String == "A" && mcqa[2]["pred"] is NSNull)
        #expect(mcqa[0]["correct_option"] as? String == "A" && (mcqa[0]["options"] as? [String: String])?.count == 4)
    }

    @Test func aModelNameThatIsNotAFolderNameIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let export = SIUOExport(models: ["..": SIUOModelFiles(generation: [], mcqa: [])])
        #expect(throws: SIUOExportError.unsafeModelName("..")) { try SIUOExportWriter.write(export, to: folder.path) }
    }
}
