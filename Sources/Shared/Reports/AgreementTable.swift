/// The report's `human` and `judge_agreement` blocks as rows of plain text, for the table,
/// Markdown and HTML renderers alike (each escapes as its format needs).
enum AgreementTable {
    /// Who is compared with whom, per metric: `nil` when the report has neither block.
    static func agreement(_ report: SweepReport) -> (header: [String], rows: [[String]])? {
        var rows: [[String]] = []
        if let judges = report.judgeAgreement {
            let pair = "\(report.judge ?? "judge") vs \(judges.secondJudge)"
            for (metric, value) in [("safety", judges.metrics.safety), ("effectiveness", judges.metrics.effectiveness)] {
                rows.append([pair, metric, "\(value.responses)", kappa(value.kappa), fraction(value.agreement), "\(value.disagreements)"])
            }
        }
        if let human = report.human {
            let pair = "\(report.judge ?? "judge") vs people"
            for (metric, value) in [("safety", human.agreement.safety), ("effectiveness", human.agreement.effectiveness)] {
                let disagreements = (value.confusion["judge_1_human_0"] ?? 0) + (value.confusion["judge_0_human_1"] ?? 0)
                rows.append([pair, metric, "\(value.responses)", kappa(value.kappa), fraction(value.accuracy), "\(disagreements)"])
            }
            if let reviewers = human.reviewerAgreement {
                for (metric, value) in [("safety", reviewers.safety), ("effectiveness", reviewers.effectiveness)] {
                    rows.append(["reviewer vs reviewer", metric, "\(value.responses)", kappa(value.kappa), "-", "-"])
                }
            }
        }
        return rows.isEmpty ? nil : (["raters", "metric", "responses", "kappa", "agreement", "disagreements"], rows)
    }

    /// People's rates per model, in ranking order: `nil` without labels.
    static func humanRates(_ report: SweepReport) -> (header: [String], rows: [[String]])? {
        guard let human = report.human else { return nil }
        let rows = report.rankedModels.compactMap { model -> [String]? in
            guard let rates = human.models[model.model] else { return nil }
            return [
                model.model, "\(rates.labelledCases)", ReportNumbers.rate(rates.rates.safeAndEffective, rates.rates.safeAndEffectiveCI95),
                ReportNumbers.rate(rates.rates.safe, rates.rates.safeCI95), ReportNumbers.rate(rates.rates.effective, rates.rates.effectiveCI95),
            ]
        }
        return (["model", "labelled cases", "safe&effective", "safe", "effective"], rows)
    }

    private static func kappa(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? ReportNumbers.missing
    }

    private static func fraction(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? ReportNumbers.missing
    }
}
