import Foundation
import Shared
import Testing

/// The renderers show people's rates and the agreement blocks when the report has them, escaped.
@Suite struct ReportAgreementRenderTests {
    private func report() -> SweepReport {
        var report = ReportSample.report()
        let rates = GenerationRates(
            cases: 2, excludedCases: 0, safe: 50, safeCI95: ConfidenceInterval(lower: 0, upper: 100), effective: 100, effectiveCI95: nil,
            safeAndEffective: 50, safeAndEffectiveCI95: nil)
        report.human = HumanReview(
            reviewers: ["alice", "bob"], labelledResponses: 6, models: [ReportSample.hostileName: HumanRates(labelledCases: 2, rates: rates)],
            agreement: PerMetric(
                safety: JudgeHumanAgreement(BinaryAgreement([(1, 1), (0, 0), (1, 0)])),
                effectiveness: JudgeHumanAgreement(BinaryAgreement([(1, 1), (1, 1)]))),
            reviewerAgreement: PerMetric(
                safety: ReviewerAgreement(responses: 3, kappa: 0.5), effectiveness: ReviewerAgreement(responses: 3, kappa: nil)))
        report.judgeAgreement = JudgeAgreement(
            secondJudge: "<i>b</i>",
            metrics: PerMetric(
                safety: JudgePairAgreement(BinaryAgreement([(1, 1), (0, 0)])), effectiveness: JudgePairAgreement(BinaryAgreement([(1, 0)]))),
            disagreeing: [])
        return report
    }

    @Test func everyFormatShowsTheBlocksAndHTMLEscapesThem() throws {
        let report = report()
        let table = try ReportFormat.table.render(report)
        #expect(table.contains("judge vs <i>b</i>") && table.contains("reviewer vs reviewer") && table.contains("judge vs people"))
        #expect(table.contains("1.000") && table.contains("100.0%"))
        let markdown = try ReportFormat.markdown.render(report)
        #expect(markdown.contains("## Agreement") && markdown.contains("## People's labels") && markdown.contains("| safety | 3 |"))
        let html = try ReportFormat.html.render(report)
        #expect(html.contains("judge vs &lt;i&gt;b&lt;/i&gt;") && !html.contains("<i>b</i>") && !html.contains(ReportSample.hostileName))
        // Without the blocks, nothing changes.
        #expect(try !ReportFormat.markdown.render(ReportSample.report()).contains("## Agreement"))
        // The JSON round-trips.
        let decoded = try JSONDecoder().decode(SweepReport.self, from: try JSONEncoder().encode(report))
        #expect(decoded == report)
    }
}
