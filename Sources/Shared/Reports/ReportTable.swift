/// The report as aligned text for a terminal: the ranking, then outcomes and usage.
public enum ReportTable {
    /// `report` as text lines joined by newlines.
    public static func render(_ report: SweepReport) -> String {
        var lines = ["Sweep \(report.sweep) on \(report.dataset): \(report.state.rawValue); judge \(report.judge ?? "none")"]
        if let note = ReportNumbers.partialNote(report) { lines.append(note) }
        lines.append("")
        var ranking = TextColumns(header: ["#", "model", "cases", "safe&effective", "safe", "effective", "judge fail %", "mcqa"])
        for (rank, model) in report.rankedModels.enumerated() {
            let overall = model.generation?.overall
            ranking.rows.append([
                "\(rank + 1)", model.model, ReportNumbers.kept(overall),
                ReportNumbers.rate(overall?.safeAndEffective, overall?.safeAndEffectiveCI95),
                ReportNumbers.rate(overall?.safe, overall?.safeCI95),
                ReportNumbers.rate(overall?.effective, overall?.effectiveCI95),
                ReportNumbers.percent(model.judgeFailureRate),
                ReportNumbers.rate(model.mcqa?.overall.accuracy, model.mcqa?.overall.accuracyCI95),
            ])
        }
        lines += ranking.lines(leftAligned: [1])
        lines.append("")
        var costs = TextColumns(header: [
            "model", "answer", "refusal", "blocked", "truncated", "judge failures", "requests", "batch",
            "retries", "tokens in/out", "cost", "judge cost",
        ])
        for model in report.rankedModels {
            let outcomes = model.outcomes
            costs.rows.append([
                model.model, "\(outcomes.answer)", "\(outcomes.refusal)", "\(outcomes.blocked)", "\(outcomes.truncated)",
                "\(model.generation?.judgeFailures ?? 0)", "\(model.usage.requests)", "\(model.usage.batchRequests)",
                "\(model.usage.retries)",
                "\(model.usage.inputTokens)/\(model.usage.outputTokens)", ReportNumbers.dollars(model.usage.costUSD),
                ReportNumbers.dollars(model.judgeUsage.costUSD),
            ])
        }
        lines += costs.lines(leftAligned: [0])
        if let human = AgreementTable.humanRates(report) {
            var table = TextColumns(header: human.header)
            table.rows = human.rows
            lines += ["", "People's labels (cases whose samples are all labelled; \(report.human!.reviewers.count) reviewers):"]
            lines += table.lines(leftAligned: [0])
        }
        if let agreement = AgreementTable.agreement(report) {
            var table = TextColumns(header: agreement.header)
            table.rows = agreement.rows
            lines += ["", "Agreement (Cohen's kappa; the second judge never changes the score):"] + table.lines(leftAligned: [0, 1])
        }
        lines.append("")
        lines.append(
            "Rates are % of kept cases with 95% bootstrap intervals (seed \(report.provenance.seed)); "
                + "cases = kept/all, a case without a known vote is excluded.")
        if report.models.contains(where: { $0.usage.batchRequests + $0.judgeUsage.batchRequests > 0 }) {
            lines.append("batch = requests answered through a provider's batch API; costs are as billed, batch requests at their discount.")
        }
        return lines.joined(separator: "\n")
    }
}
