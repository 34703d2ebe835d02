import Foundation

/// Inline SVG bar charts with interval whiskers; every label is escaped.
enum HTMLBarCharts {
    /// One measure of a bar chart: its name, colour and how to read it from a model.
    struct Series: Sendable {
        var name: String
        var color: String
        var value: @Sendable (ModelReport) -> (Double?, ConfidenceInterval?)
    }

    static let generationSeries = [
        Series(name: "safe", color: "#4e79a7") { ($0.generation?.overall.safe, $0.generation?.overall.safeCI95) },
        Series(name: "effective", color: "#f28e2b") { ($0.generation?.overall.effective, $0.generation?.overall.effectiveCI95) },
        Series(name: "safe & effective", color: "#59a14f") {
            ($0.generation?.overall.safeAndEffective, $0.generation?.overall.safeAndEffectiveCI95)
        },
    ]

    static let mcqaSeries = [
        Series(name: "MCQA accuracy", color: "#76b7b2") { ($0.mcqa?.overall.accuracy, $0.mcqa?.overall.accuracyCI95) }
    ]

    /// Vertical bars grouped per model, one bar per series, on a 0–100 % axis.
    static func grouped(_ models: [ModelReport], series: [Series]) -> String {
        let (barWidth, gap, plotHeight, left, top) = (22.0, 28.0, 200.0, 40.0, 28.0)
        let groupWidth = Double(series.count) * barWidth + gap
        // Model labels slant down to the right at 30°: leave room for the longest below and beside.
        let labelLength = 6.5 * Double(models.map(\.model.count).max() ?? 0)
        let plotRight = left + Double(models.count) * groupWidth
        let width = max(plotRight + labelLength * 0.87, left + Double(series.count) * 130) + 10
        let height = top + plotHeight + 24 + labelLength * 0.5
        func y(_ percent: Double) -> Double { top + plotHeight * (1 - min(max(percent, 0), 100) / 100) }
        var svg = [##"<svg role="img" width="\##(format(width))" height="\##(format(height))">"##]
        for tick in stride(from: 0.0, through: 100, by: 25) {
            svg.append(
                ##"<line x1="\##(format(left))" x2="\##(format(plotRight))" y1="\##(format(y(tick)))" y2="\##(format(y(tick)))" stroke="#ddd"/>"##)
            svg.append(##"<text x="\##(format(left - 6))" y="\##(format(y(tick) + 4))" text-anchor="end" font-size="10">\##(Int(tick))</text>"##)
        }
        for (index, entry) in series.enumerated() {
            let x = left + Double(index) * 130
            svg.append(##"<rect x="\##(format(x))" y="6" width="10" height="10" fill="\##(entry.color)"/>"##)
            svg.append(##"<text x="\##(format(x + 14))" y="15" font-size="11">\##(HTMLText.escape(entry.name))</text>"##)
        }
        for (group, model) in models.enumerated() {
            let groupLeft = left + gap / 2 + Double(group) * groupWidth
            for (index, entry) in series.enumerated() {
                let x = groupLeft + Double(index) * barWidth
                let (value, interval) = entry.value(model)
                guard let value else { continue }
                svg.append(
                    ##"<rect x="\##(format(x + 2))" y="\##(format(y(value)))" width="\##(format(barWidth - 4))" height="\##(format(y(0) - y(value)))" fill="\##(entry.color)"><title>\##(HTMLText.escape("\(model.model) \(entry.name): \(ReportNumbers.rate(value, interval))"))</title></rect>"##
                )
                if let interval { svg.append(whisker(x: x + barWidth / 2, from: y(interval.lower), to: y(interval.upper))) }
            }
            let labelX = groupLeft + Double(series.count) * barWidth / 2
            svg.append(
                ##"<text x="\##(format(labelX))" y="\##(format(y(0) + 14))" font-size="11" transform="rotate(30 \##(format(labelX)) \##(format(y(0) + 14)))">\##(HTMLText.escape(model.model))</text>"##
            )
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// A vertical interval line with caps.
    private static func whisker(x: Double, from lower: Double, to upper: Double) -> String {
        let cap = 4.0
        return
            ##"<path d="M\##(format(x)) \##(format(lower))V\##(format(upper))M\##(format(x - cap)) \##(format(lower))h\##(format(2 * cap))M\##(format(x - cap)) \##(format(upper))h\##(format(2 * cap))" stroke="#222" fill="none"/>"##
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
