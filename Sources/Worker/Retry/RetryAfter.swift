import Foundation
import Shared

/// How long a provider asked us to wait before the next request (docs/protocol.md, "Attempts, throttles and given-back jobs").
///
/// Precedence, most explicit first: `retry-after-ms`, `retry-after` (seconds,
/// possibly fractional, or an HTTP date), Gemini's `RetryInfo.retryDelay` in
/// the body, then the per-limit reset headers (see `RateLimitResetHeaders`
/// for which reset is taken). Waits already in the past count as zero.
public enum RetryAfter {
    /// The longest wait taken from a response. A provider (or a proxy) may send any number, and
    /// `Duration` traps beyond about 10^20 seconds, the milliseconds sent to the coordinator
    /// beyond about 10^16; a year is longer than any real quota window.
    public static let longest: TimeInterval = 365 * 24 * 3600

    /// The requested wait, or `nil` when the response names none.
    /// `headers` may use any case; `now` anchors HTTP dates and timestamps. At most `longest`.
    public static func delay(headers: [String: String], body: [UInt8], now: Date) -> Duration? {
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        return seconds(headers: lowered, body: JSONValue.parse(body), now: now).map { .seconds(min(max(0, $0), longest)) }
    }

    private static func seconds(headers: [String: String], body: JSONValue?, now: Date) -> TimeInterval? {
        if let milliseconds = headers["retry-after-ms"].flatMap(number) {
            return milliseconds / 1000
        }
        if let value = headers["retry-after"] {
            if let seconds = number(value) { return seconds }
            if let date = HTTPDate.parseIMFFixdate(value) { return date.timeIntervalSince(now) }
        }
        return body.flatMap(GeminiRetryInfo.delay) ?? RateLimitResetHeaders.delay(headers: headers, now: now)
    }

    /// A finite, non-negative decimal number.
    private static func number(_ text: String) -> Double? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else { return nil }
        return value
    }
}
