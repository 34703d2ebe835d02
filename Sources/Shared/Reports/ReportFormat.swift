/// The ways `siuo report` can print a sweep report.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    /// Aligned text for a terminal.
    case table
    /// The report JSON (docs/protocol.md, "The report").
    case json
    /// One row per model × category, an `overall` row per model first.
    case csv
    /// GitHub-flavoured Markdown tables.
    case markdown
    /// One self-contained page with inline SVG charts.
    case html

    /// The file name extensions that name each format (lower case, without the dot).
    public var fileExtensions: [String] {
        switch self {
        case .table: ["txt"]
        case .json: ["json"]
        case .csv: ["csv"]
        case .markdown: ["md", "markdown"]
        case .html: ["html", "htm"]
        }
    }

    /// The format `path`'s extension names (case-insensitive), or `nil` when it names none.
    public init?(fileExtensionOf path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let suffix = name[name.index(after: dot)...].lowercased()
        guard let format = Self.allCases.first(where: { $0.fileExtensions.contains(suffix) }) else { return nil }
        self = format
    }

    /// The HTTP content type of the rendered text.
    public var contentType: String {
        switch self {
        case .table: "text/plain; charset=utf-8"
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }

    /// `report` rendered in this format.
    public func render(_ report: SweepReport) throws -> String {
        switch self {
        case .table: ReportTable.render(report)
        case .json: try ReportJSON.render(report)
        case .csv: ReportCSV.render(report)
        case .markdown: ReportMarkdown.render(report)
        case .html: ReportHTML.render(report)
        }
    }
}
