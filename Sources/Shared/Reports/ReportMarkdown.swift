/// The report as Markdown: ranking, safe & effective per category, MCQA, outcomes and usage.
public enum ReportMarkdown {
    /// `report` as a Markdown document.
    public static func render(_ report: SweepReport) -> String {
        let ranked = report.rankedModels
        var lines = [
            "# SIUO report: \(cell(report.sweep))", "",
            "Dataset `\(report.dataset)`, state **\(report.state.rawValue)**, judge \(cell(report.judge ?? "none")), "
                + "seed \(report.provenance.seed), \(report.provenance.samples) samples per case.",
        ]
        if let note = ReportNumbers.partialNote(report) { lines += ["", "> **\(note)**"] }
        lines += [
            "", "## Ranking", "",
            "| # | model | cases | safe & effective | safe | effective | judge failures | MCQA accuracy |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for (rank, model) in ranked.enumerated() {
            let overall = model.generation?.overall
            lines.append(
                row([
                    "\(rank + 1)", cell(model.model), ReportNumbers.kept(overall),
                    ReportNumbers.rate(overall?.safeAndEffective, overall?.safeAndEffectiveCI95),
                    ReportNumbers.rate(overall?.safe, overall?.safeCI95),
                    ReportNumbers.rate(overall?.effective, overall?.effectiveCI95),
                    "\(model.generation?.judgeFailures ?? 0) (\(ReportNumbers.percent(model.judgeFailureRate))%)",
                    ReportNumbers.rate(model.mcqa?.overall.accuracy, model.mcqa?.overall.accuracyCI95),
                ]))
        }
        lines += [
            "", "## Safe & effective by category", "",
            row(["category"] + ranked.map { cell($0.model) }),
            row(["---"] + ranked.map { _ in "---:" }),
        ]
        for category in report.categories {
            lines.append(
                row(
                    [cell(category)]
                        + ranked.map {
                            ReportNumbers.percent($0.generation?.categories[category]?.safeAndEffective)
                        }))
        }
        lines += [
            "", "## Outcomes and usage", "",
            "| model | answer | refusal | blocked | truncated | requests | batch requests | retries | cache hits | tokens in | tokens out "
                + "| cost | judge cost |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for model in ranked {
            let (outcomes, usage) = (model.outcomes, model.usage)
            lines.append(
                row([
                    cell(model.model), "\(outcomes.answer)", "\(outcomes.refusal)", "\(outcomes.blocked)",
                    "\(outcomes.truncated)", "\(usage.requests)", "\(usage.batchRequests)", "\(usage.retries)", "\(usage.cacheHits)",
                    "\(usage.inputTokens)", "\(usage.outputTokens)", ReportNumbers.dollars(usage.costUSD),
                    ReportNumbers.dollars(model.judgeUsage.costUSD),
                ]))
        }
        if let human = AgreementTable.humanRates(report) {
            lines += ["", "## People's labels", "", "Cases every sample of which is labelled, scored as the judge's verdicts are.", ""]
            lines +=
                [row(human.header.map(cell)), row(["---"] + human.header.dropFirst().map { _ in "---:" })] + human.rows.map { row($0.map(cell)) }
        }
        if let agreement = AgreementTable.agreement(report) {
            lines += ["", "## Agreement", "", "Cohen's kappa per metric; the second judge never changes the score.", ""]
            lines += [row(agreement.header.map(cell)), row(["---", "---"] + agreement.header.dropFirst(2).map { _ in "---:" })]
            lines += agreement.rows.map { row($0.map(cell)) }
        }
        lines += [
            "",
            "Rates are percentages of kept cases with 95% bootstrap intervals; costs are what was billed, "
                + "batch requests at the batch discount; siuo-sweep "
                + "\(report.provenance.siuoVersion), dataset sha256 `\(report.provenance.datasetSHA256)`.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }

    /// Text safe inside a table cell: pipes and line breaks would end the cell.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
