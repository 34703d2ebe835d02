/// One model's jobs that failed for good, with their most recent distinct errors, as
/// `sweep status` shows them (docs/protocol.md, "The report").
public struct ModelFailures: Sendable, Codable, Equatable {
    /// The model entry that was called (the judge's name for judge jobs).
    public var model: String
    /// Its jobs that failed for good.
    public var failed: Int
    /// Up to `shownErrors` distinct errors, most recent first, each cut to `errorLength` characters.
    public var errors: [FailureError]

    /// Distinct errors shown per model.
    public static let shownErrors = 3
    /// Characters of an error kept; a longer one is cut and ends in `…`.
    public static let errorLength = 240

    /// Creates a model's failures.
    public init(model: String, failed: Int, errors: [FailureError]) {
        self.model = model
        self.failed = failed
        self.errors = errors
    }

    /// `text` cut to `errorLength` characters, marked with `…` when it was longer.
    public static func shortened(_ text: String) -> String {
        text.count > errorLength ? String(text.prefix(errorLength - 1)) + "…" : text
    }
}

/// One distinct error and how many failed jobs ended with it.
public struct FailureError: Sendable, Codable, Equatable {
    /// The error as the worker or coordinator recorded it (provider text included: untrusted).
    public var message: String
    /// Failed jobs whose last error it was.
    public var count: Int

    /// Creates an error line.
    public init(message: String, count: Int) {
        self.message = message
        self.count = count
    }
}
