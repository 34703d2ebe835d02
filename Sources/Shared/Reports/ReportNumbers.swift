import Foundation

/// How reports print numbers, the same in every text format.
enum ReportNumbers {
    /// Shown for a rate a group does not have (no kept cases).
    static let missing = "n/a"

    /// A percentage with two decimals, e.g. `46.71`.
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? missing
    }

    /// An interval as `[39.50, 54.50]`.
    static func interval(_ interval: ConfidenceInterval?) -> String {
        interval.map { "[\(percent($0.lower)), \(percent($0.upper))]" } ?? missing
    }

    /// A rate followed by its interval, e.g. `46.71 [39.50, 54.50]`.
    static func rate(_ value: Double?, _ ci: ConfidenceInterval?) -> String {
        value == nil ? missing : "\(percent(value)) \(interval(ci))"
    }

    /// Dollars with four decimals: judge calls of a small sweep cost fractions of a cent.
    static func dollars(_ value: Double) -> String {
        String(format: "$%.4f", value)
    }

    /// Kept cases out of all, e.g. `165/167`.
    static func kept(_ rates: GenerationRates?) -> String {
        guard let rates else { return missing }
        return "\(rates.cases - rates.excludedCases)/\(rates.cases)"
    }

    /// One line saying why the numbers may still change, or `nil` for a finished sweep.
    static func partialNote(_ report: SweepReport) -> String? {
        guard report.isPartial else { return nil }
        return "Partial report: the sweep is \(report.state.rawValue); only cases whose jobs have finished are scored."
    }
}
