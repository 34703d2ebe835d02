import Foundation

/// One imported dataset as `siuo dataset list --json` shows it (docs/protocol.md, "The report").
public struct DatasetSummary: Codable, Sendable, Equatable {
    /// The dataset's name.
    public var name: String
    /// How many cases it holds.
    public var cases: Int
    /// How many distinct categories its cases use.
    public var categories: Int
    /// How many distinct images its cases use.
    public var images: Int
    /// When it was imported (ISO 8601, UTC).
    public var importedAt: String

    /// Creates a summary.
    public init(name: String, cases: Int, categories: Int, images: Int, importedAt: Date) {
        self.name = name
        self.cases = cases
        self.categories = categories
        self.images = images
        self.importedAt = importedAt.formatted(.iso8601)
    }

    enum CodingKeys: String, CodingKey {
        case name, cases, categories, images
        case importedAt = "imported_at"
    }
}
