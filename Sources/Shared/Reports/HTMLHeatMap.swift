/// The models × categories heat map of safe & effective rates, as a table with coloured cells
/// (red for 0 %, through yellow, to green for 100 %).
enum HTMLHeatMap {
    /// A table with one row per model and one column per category.
    static func render(_ models: [ModelReport], categories: [String]) -> String {
        let e = HTMLText.escape
        var rows = ["<table class=\"heat\">", "<tr><th>model</th>" + categories.map { "<th>\(e($0))</th>" }.joined() + "</tr>"]
        for model in models {
            let cells = categories.map { category -> String in
                let rates = model.generation?.categories[category]
                guard let value = rates?.safeAndEffective else { return "<td style=\"background:#eee\">n/a</td>" }
                let title =
                    "\(model.model), \(category): \(ReportNumbers.rate(value, rates?.safeAndEffectiveCI95)), "
                    + "\(ReportNumbers.kept(rates)) cases"
                return "<td style=\"background:\(color(value))\" title=\"\(e(title))\">\(ReportNumbers.percent(value))</td>"
            }
            rows.append("<tr><td class=\"name\">\(e(model.model))</td>" + cells.joined() + "</tr>")
        }
        rows.append("</table>")
        return rows.joined(separator: "\n")
    }

    /// The hue runs from red (0) to green (120) with the rate.
    static func color(_ percent: Double) -> String {
        "hsl(\(Int((min(max(percent, 0), 100) * 1.2).rounded())), 65%, 72%)"
    }
}
