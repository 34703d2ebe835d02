import Foundation
import Shared
import Testing

/// `batch_requests` in the report's usage: in JSON, and in every renderer that shows usage.
@Suite struct ReportBatchUsageTests {
    /// The sample report with `alpha`'s calls answered through batches: 4 of its 6 requests, and all 2 of its judge's.
    private func report() -> SweepReport {
        var report = ReportSample.report()
        let alpha = report.models.firstIndex { $0.model == "alpha" }!
        report.models[alpha].usage.batchRequests = 4
        report.models[alpha].judgeUsage.batchRequests = 2
        report.judgeUsage.batchRequests = 2
        return report
    }

    @Test func jsonCarriesBatchRequestsInEveryUsageObject() throws {
        let report = report()
        let text = try ReportJSON.render(report)
        let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let models = document["models"] as! [[String: Any]]
        let alpha = try #require(models.first { $0["model"] as? String == "alpha" })
        #expect((alpha["usage"] as? [String: Any])?["batch_requests"] as? Int == 4)
        #expect((alpha["judge_usage"] as? [String: Any])?["batch_requests"] as? Int == 2)
        #expect((document["judge_usage"] as? [String: Any])?["batch_requests"] as? Int == 2)
        // A live model says 0, not nothing: every key is always present.
        #expect(models.allSatisfy { ($0["usage"] as? [String: Any])?["batch_requests"] as? Int != nil })
        #expect(try WireCoding.decoder().decode(SweepReport.self, from: Data(text.utf8)) == report)
    }

    @Test func aReportFromBeforeBatchModeReadsAsNoBatchRequests() throws {
        let text = try ReportJSON.render(ReportSample.report()).replacingOccurrences(of: #""batch_requests" : 0,"#, with: "")
        #expect(!text.contains("batch_requests"))
        let decoded = try WireCoding.decoder().decode(SweepReport.self, from: Data(text.utf8))
        #expect(decoded == ReportSample.report())
    }

    @Test func sumsIncludeBatchRequests() {
        let sum = UsageTotals(requests: 3, batchRequests: 2, costUSD: 0.5) + UsageTotals(requests: 4, batchRequests: 1, costUSD: 0.25)
        #expect(sum == UsageTotals(requests: 7, batchRequests: 3, costUSD: 0.75))
    }

    @Test func markdownShowsBatchRequestsBesideRequests() throws {
        let lines = ReportMarkdown.render(report()).split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("| model | answer |") })
        let cells = { (line: String) in line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        let column = try #require(cells(header).firstIndex(of: "batch requests"))
        #expect(cells(header)[column - 1] == "requests")
        let alpha = try #require(lines.first { $0.hasPrefix("| alpha | 3 |") })
        #expect(cells(alpha)[column] == "4" && cells(alpha)[column - 1] == "6")
        let beta = try #require(lines.first { $0.hasPrefix("| beta | 3 |") })
        #expect(cells(beta)[column] == "0")
        #expect(lines.contains { $0.contains("batch requests at the batch discount") })
    }

    @Test func htmlShowsBatchRequestsForEachModelAndTheJudge() {
        let html = ReportHTML.render(report())
        #expect(html.contains("<th>requests</th><th>batch requests</th><th>retries</th>"))
        #expect(
            html.contains("<td class=\"name\">alpha</td><td>3</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td><td>4</td><td>1</td>"))
        #expect(html.contains("<td class=\"name\">judge (all models)</td><td></td><td></td><td></td><td></td><td></td><td></td><td>6</td><td>2</td>"))
    }

    @Test func theTableShowsABatchColumnAndSaysWhatItMeansWhenUsed() throws {
        let table = ReportTable.render(report())
        let header = try #require(table.split(separator: "\n").first { $0.hasPrefix("model ") })
        let alpha = try #require(table.split(separator: "\n").first { $0.hasPrefix("alpha ") })
        let names = header.split(separator: " ", omittingEmptySubsequences: true)
        // "tokens in/out" and "judge cost"/"judge failures" are two words each; compare by position up to "batch".
        #expect(names.contains("batch"))
        let values = alpha.split(separator: " ", omittingEmptySubsequences: true)
        #expect(values[6] == "6" && values[7] == "4")
        #expect(table.contains("batch = requests answered through a provider's batch API"))
        #expect(!ReportTable.render(ReportSample.report()).contains("batch = requests"))
    }
}
