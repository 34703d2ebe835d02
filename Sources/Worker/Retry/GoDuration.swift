import Foundation

/// Go's `time.Duration` text (`250ms`, `6m0s`, `1h2m3.5s`), which OpenAI
/// sends in `x-ratelimit-reset-*` headers.
public enum GoDuration {
    private static let unitSeconds: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]

    /// The duration in seconds, or `nil` when `text` is not a Go duration.
    /// A bare `0` is valid (Go prints a zero duration that way); negative
    /// durations are not, since a reset is never in the past.
    public static func seconds(_ text: String) -> Double? {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        if characters == ["0"] { return 0 }
        var total = 0.0
        var position = 0
        guard !characters.isEmpty else { return nil }
        while position < characters.count {
            let numberStart = position
            while position < characters.count, characters[position].isNumber || characters[position] == "." {
                position += 1
            }
            let unitStart = position
            while position < characters.count, characters[position].isLetter {
                position += 1
            }
            guard let number = Double(String(characters[numberStart..<unitStart])),
                let factor = unitSeconds[String(characters[unitStart..<position])]
            else { return nil }
            total += number * factor
        }
        return total
    }
}
