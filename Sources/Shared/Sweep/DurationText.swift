import Foundation

/// Durations as people write them in a sweep file and read them in status lines: plain seconds (`90`, `1.5`)
/// or numbers with units, Go style (`90s`, `15m`, `24h`, `1h30m`, `500ms`, `2d`).
public enum DurationText {
    /// Seconds per unit.
    private static let units: [String: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86_400]

    /// The seconds `text` names, or `nil` when it is neither a number nor a run of number-unit parts.
    public static func parseSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) {
            return seconds
        }
        var rest = Substring(trimmed.lowercased().filter { $0 != " " })
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            let unit = rest.dropFirst(number.count).prefix { $0.isLetter }
            guard let value = Double(number), let seconds = units[String(unit)] else { return nil }
            total += value * seconds
            rest = rest.dropFirst(number.count + unit.count)
        }
        return trimmed.isEmpty || !total.isFinite ? nil : total
    }

    /// A compact duration for people: `45s`, `12m05s`, `3h07m`, `2d04h`.
    public static func format(seconds: Double) -> String {
        let whole = Int(max(0, min(seconds, 1e12)).rounded(.down))
        switch whole {
        case ..<60: return "\(whole)s"
        case ..<3600: return String(format: "%dm%02ds", whole / 60, whole % 60)
        case ..<86_400: return String(format: "%dh%02dm", whole / 3600, whole / 60 % 60)
        default: return String(format: "%dd%02dh", whole / 86_400, whole / 3600 % 24)
        }
    }
}
