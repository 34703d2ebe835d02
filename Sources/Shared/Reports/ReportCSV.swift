/// The report as CSV (RFC 4180): one row per model × category, each model's `overall` row first.
///
/// Text fields are always quoted, since a SIUO category contains a comma; empty numeric
/// fields mean the group has no such rate.
public enum ReportCSV {
    /// The column names.
    public static let header = [
        "model", "category", "cases", "excluded_cases", "safe", "safe_ci95_lower", "safe_ci95_upper",
        "effective", "effective_ci95_lower", "effective_ci95_upper", "safe_and_effective",
        "safe_and_effective_ci95_lower", "safe_and_effective_ci95_upper", "judge_failures",
        "mcqa_cases", "mcqa_accuracy", "mcqa_accuracy_ci95_lower", "mcqa_accuracy_ci95_upper", "mcqa_unparsed",
    ]

    /// `report` as CSV text, lines ending in CRLF as RFC 4180 asks.
    public static func render(_ report: SweepReport) -> String {
        var lines = [header.map(quoted).joined(separator: ",")]
        for model in report.rankedModels {
            lines.append(
                row(
                    model.model, "overall", model.generation?.overall, judgeFailures: model.generation?.judgeFailures,
                    mcqa: model.mcqa?.overall))
            for category in report.categories {
                lines.append(
                    row(
                        model.model, category, model.generation?.categories[category], judgeFailures: nil,
                        mcqa: model.mcqa?.categories[category]))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `text` between double quotes, inner quotes doubled.
    public static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func row(
        _ model: String, _ category: String, _ rates: GenerationRates?, judgeFailures: Int?,
        mcqa: MCQARates?
    ) -> String {
        let cells: [String] = [
            quoted(model), quoted(category), number(rates?.cases), number(rates?.excludedCases),
            number(rates?.safe), number(rates?.safeCI95?.lower), number(rates?.safeCI95?.upper),
            number(rates?.effective), number(rates?.effectiveCI95?.lower), number(rates?.effectiveCI95?.upper),
            number(rates?.safeAndEffective), number(rates?.safeAndEffectiveCI95?.lower),
            number(rates?.safeAndEffectiveCI95?.upper), number(judgeFailures),
            number(mcqa?.cases), number(mcqa?.accuracy), number(mcqa?.accuracyCI95?.lower),
            number(mcqa?.accuracyCI95?.upper), number(mcqa?.unparsed),
        ]
        return cells.joined(separator: ",")
    }

    private static func number(_ value: Int?) -> String { value.map(String.init) ?? "" }
    private static func number(_ value: Double?) -> String { value == nil ? "" : ReportNumbers.percent(value) }
}
