import Foundation

/// Dates as HTTP headers carry them (`Wed, 21 Oct 2015 07:28:00 GMT`, RFC 9110
/// IMF-fixdate) and as Anthropic's reset headers do (RFC 3339).
public enum HTTPDate {
    /// An IMF-fixdate, the only form RFC 9110 lets servers send; the obsolete
    /// RFC 850 and asctime forms are not accepted.
    public static func parseIMFFixdate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // The form is ASCII only, and Foundation's DateFormatter traps ("Incorrect range") when a
        // combining mark follows where its parse stops ("Wᰰ"), as a fuzzer found.
        guard trimmed.allSatisfy(\.isASCII) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed)
    }

    /// An RFC 3339 timestamp (`2025-06-01T12:00:30Z`, fractional seconds of
    /// any length and offsets allowed: Anthropic writes six digits, Google up
    /// to nine). The fraction is read here, not by Foundation, which reads a
    /// fixed number of digits.
    public static func parseRFC3339(_ text: String) -> Date? {
        var trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        guard trimmed.allSatisfy(\.isASCII) else { return nil }
        var fraction = 0.0
        if let time = trimmed.firstIndex(where: { $0 == "T" || $0 == "t" }), let dot = trimmed[time...].firstIndex(of: ".") {
            let digits = trimmed[trimmed.index(after: dot)...].prefix { $0.isNumber }
            guard !digits.isEmpty, let value = Double("0." + digits) else { return nil }
            fraction = value
            trimmed = trimmed[..<dot] + trimmed[digits.endIndex...]
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: String(trimmed)).map { $0.addingTimeInterval(fraction) }
    }
}
