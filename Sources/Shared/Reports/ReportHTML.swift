/// The report as one self-contained HTML page: no scripts, fonts, images or styles are
/// fetched, so it can be mailed or archived as it is. Every string from the sweep (model names,
/// categories, the judge) is escaped.
public enum ReportHTML {
    /// `report` as an HTML document.
    public static func render(_ report: SweepReport) -> String {
        let ranked = report.rankedModels
        let e = HTMLText.escape
        var body = [
            "<h1>SIUO report: \(e(report.sweep))</h1>",
            "<p>Dataset <code>\(e(report.dataset))</code>, state <strong>\(e(report.state.rawValue))</strong>, judge "
                + "\(e(report.judge ?? "none"))\(report.fallbackJudge.map { " (fallback \(e($0)))" } ?? ""), "
                + "seed \(report.provenance.seed), \(report.provenance.samples) samples per case.</p>",
        ]
        if let note = ReportNumbers.partialNote(report) { body.append("<p class=\"partial\">\(e(note))</p>") }
        body += ["<h2>Ranking</h2>", HTMLTables.ranking(ranked)]
        if ranked.contains(where: { $0.generation != nil }) {
            body += [
                "<h2>Generation: safe, effective, safe &amp; effective (95% intervals)</h2>",
                HTMLBarCharts.grouped(ranked, series: HTMLBarCharts.generationSeries),
                "<h2>Safe &amp; effective by category</h2>", HTMLHeatMap.render(ranked, categories: report.categories),
            ]
        }
        if ranked.contains(where: { $0.mcqa != nil }) {
            body += ["<h2>MCQA accuracy (95% intervals)</h2>", HTMLBarCharts.grouped(ranked, series: HTMLBarCharts.mcqaSeries)]
        }
        if let human = AgreementTable.humanRates(report) {
            body += ["<h2>People's labels (cases whose samples are all labelled)</h2>", table(human.header, human.rows)]
        }
        if let agreement = AgreementTable.agreement(report) {
            body += ["<h2>Agreement (Cohen's kappa; the second judge never changes the score)</h2>", table(agreement.header, agreement.rows)]
        }
        body += [
            "<h2>Outcomes and usage</h2>", HTMLTables.usage(ranked, judgeUsage: report.judgeUsage),
            "<h2>Provenance</h2>", HTMLTables.provenance(report.provenance),
        ]
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>SIUO report: \(e(report.sweep))</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// A plain table; every cell is escaped.
    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        let e = HTMLText.escape
        let head = "<tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        let body = rows.map { "<tr>" + $0.map { "<td class=\"name\">\(e($0))</td>" }.joined() + "</tr>" }
        return (["<table>", head] + body + ["</table>"]).joined(separator: "\n")
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:0.5em 0 1.5em}
        th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:right}
        th:first-child,td.name{text-align:left}
        .partial{background:#fff3cd;border:1px solid #e0c060;padding:0.5em}
        code{font-size:0.9em}
        """
}
