import Foundation
import Testing

@testable import Shared

/// The text renderers of a report: CSV quoting, a self-contained escaped HTML page, ranking.
@Suite struct ReportRendererTests {
    @Test func htmlTextEscapesMarkupAndDropsWhatATerminalWouldActOn() {
        #expect(HTMLText.escape("<b a='1'>&\"</b>") == "&lt;b a=&#39;1&#39;&gt;&amp;&quot;&lt;/b&gt;")
        #expect(HTMLText.escape("gpt\u{1B}[2J-4o\u{202E}x\u{9B}") == "gpt\u{FFFD}[2J-4o\u{FFFD}x\u{FFFD}")
        #expect(HTMLText.escape("line\nnext\ttab") == "line\nnext\ttab")
    }

    private let ranked = [ReportSample.hostileName, "alpha", "beta"]

    @Test func csvQuotesTheCategoryWithAComma() throws {
        let csv = ReportCSV.render(ReportSample.report())
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 + 3 * 4)  // header, then overall + three categories per model
        #expect(lines[0].hasPrefix("\"model\",\"category\",\"cases\""))
        let row = try #require(lines.first { $0.hasPrefix("\"alpha\",\"controversial topics, politics\",") })
        // 19 columns: quoting keeps the comma inside one field.
        #expect(
            row.replacingOccurrences(of: "\"controversial topics, politics\"", with: "C").split(separator: ",", omittingEmptySubsequences: false)
                .count == ReportCSV.header.count)
        #expect(lines.contains { $0.hasPrefix("\"alpha\",\"overall\",3,0,100.00,") })
        #expect(ReportCSV.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }

    @Test func htmlIsSelfContainedAndEscapesEveryName() throws {
        let html = ReportHTML.render(ReportSample.report())
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img") && !html.contains("@import"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<b>bold</b>") && html.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("controversial topics, politics"))
        // Provenance says what each model was sent.
        #expect(html.contains("max_completion_tokens 3048 / 2053 (generation / mcqa), no temperature, reasoning (table)"))
        #expect(html.contains("judge judge requests") && html.contains("max_completion_tokens 2248 (judging), no temperature"))
        #expect(html.contains("<svg") && html.contains("hsl("))
        #expect(!html.contains("Partial report"))
        #expect(ReportHTML.render(ReportSample.report(state: .running)).contains("Partial report: the sweep is running"))
    }

    @Test func markdownAndTableListEveryModelBestFirst() throws {
        for text in [ReportMarkdown.render(ReportSample.report()), ReportTable.render(ReportSample.report())] {
            let positions = try ranked.map { try #require(text.range(of: $0)?.lowerBound) }
            #expect(positions == positions.sorted())
        }
        let table = ReportTable.render(ReportSample.report(state: .paused))
        #expect(table.contains("Partial report: the sweep is paused") && table.contains("66.67"))
    }

    @Test func jsonRoundTripsAndHasTheDocumentedKeys() throws {
        let report = ReportSample.report()
        let text = try ReportJSON.render(report)
        for key in [
            "\"safe_and_effective_ci95\"", "\"judge_failures\"", "\"accuracy_ci95\"", "\"cost_usd\"", "\"dataset_sha256\"",
            "\"templates_sha256\"", "\"finished_at\" : null", "\"resolved_model\"",
            "\"sampling_params\" : false", "\"token_field\" : \"max_completion_tokens\"",
        ] {
            #expect(text.contains(key), "missing \(key)")
        }
        let decoded = try WireCoding.decoder().decode(SweepReport.self, from: Data(text.utf8))
        #expect(decoded == report)
        #expect(report.rankedModels.map(\.model) == ranked)
        #expect(ReportFormat.allCases.allSatisfy { (try? $0.render(report)) != nil })
    }
}
