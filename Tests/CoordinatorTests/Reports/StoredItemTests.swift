import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A stored case item the importer could not have written fails the report
/// and the viewer naming the case, instead of dropping the case from the score.
@Suite struct StoredItemTests {
    /// The report scenario with its targets' answers in, and its first case's question id.
    private static func answeredSweep(suite: String) async throws -> (PostgresPool, String) {
        let pool = try await TestDatabase.pool(suite: suite)
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        let questionID = try #require(try await pool.query("SELECT question_id FROM cases ORDER BY position LIMIT 1").first)
            .decode(String.self, "question_id")
        return (pool, questionID)
    }

    @Test func aMalformedMCQAItemFailsTheReportNamingTheCase() async throws {
        let (pool, questionID) = try await Self.answeredSweep(suite: "report_bad_item")
        try await pool.query(
            "UPDATE cases SET mcqa_item = jsonb_set(mcqa_item, '{options,A}', '7') WHERE question_id = $1", [questionID])
        let error = await #expect(throws: PostgresError.self) { try await ReportStore(pool: pool).report(ReportScenario.sweep) }
        #expect(error?.message == "case \(questionID): the stored MCQA item has option A that is not text")
        await #expect(throws: PostgresError.self) { try await CaseStore(pool: pool).detail(ReportScenario.sweep, questionID: questionID) }
    }

    @Test func anMCQAAnswerWithoutItsItemFailsTheReportAndTheExportNamingTheCase() async throws {
        let (pool, questionID) = try await Self.answeredSweep(suite: "export_missing_item")
        #expect(try await ReportStore(pool: pool).export(ReportScenario.sweep).models.values.contains { !$0.mcqa.isEmpty })
        try await pool.query("UPDATE cases SET mcqa_item = NULL WHERE question_id = $1", [questionID])
        let message = "case \(questionID): the stored MCQA item is missing, yet the case has an MCQA answer"
        let exportError = await #expect(throws: PostgresError.self) { try await ReportStore(pool: pool).export(ReportScenario.sweep) }
        #expect(exportError?.message == message)
        let reportError = await #expect(throws: PostgresError.self) { try await ReportStore(pool: pool).report(ReportScenario.sweep) }
        #expect(reportError?.message == message)
    }
}
