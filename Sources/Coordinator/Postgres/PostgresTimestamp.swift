import Foundation
import Shared

/// `timestamptz` text in the session's fixed settings (`TimeZone=UTC`,
/// `DateStyle=ISO`), both ways, without a locale-dependent formatter.
enum PostgresTimestamp {
    /// The text PostgreSQL reads as `date`, to the microsecond, in the same
    /// calendar `parse` reads with (` BC` for years before 1; `infinity` or
    /// `-infinity` beyond what a microsecond count holds).
    static func format(_ date: Date) -> String {
        let scaled = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard let micros = Int64(exactly: scaled), micros.magnitude < 1 << 62 else { return scaled < 0 ? "-infinity" : "infinity" }
        var (bytes, year) = ProlepticGregorian.text(micros, perSecond: 1_000_000, separator: UInt8(ascii: " "))
        bytes.append(contentsOf: "+00".utf8)
        if year <= 0 { bytes.append(contentsOf: " BC".utf8) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `2026-11-29 04:26:37.123456+00` (fraction optional, offset as
    /// `+hh`, `+hh:mm` or `+hh:mm:ss`, ` BC` for years before 1) with the
    /// proleptic Gregorian calendar PostgreSQL uses, by arithmetic: each
    /// claimed lease carries its expiry, and Foundation's calendar cost 2 µs
    /// a date (and counts days before 1582 in the Julian calendar).
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parseBytes($0) }
    }

    /// `parse` over a value's bytes as libpq holds them.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Date? {
        parseBytes(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// Where every timestamp has its date and time separators.
    private static let separators: [(Int, UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: " ")), (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":")),
    ]

    private static func parseBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var end = bytes.count
        let beforeChrist =
            end > 3 && bytes[end - 3] == UInt8(ascii: " ") && bytes[end - 2] == UInt8(ascii: "B") && bytes[end - 1] == UInt8(ascii: "C")
        if beforeChrist { end -= 3 }
        guard end >= 19 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int64? { ProlepticGregorian.field(bytes, at: start, width: count, end: end) }
        for (index, separator) in separators where bytes[index] != separator { return nil }
        guard let written = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), hour < 24, minute < 60, second < 60,
            let days = ProlepticGregorian.validDays(year: beforeChrist ? 1 - written : written, month: month, day: day)
        else { return nil }
        var index = 19
        var fraction: Int64 = 0
        var scale = 1.0
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), scale < 1e9 {
                fraction = fraction * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                scale *= 10
                index += 1
            }
        }
        var offset: Int64 = 0
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = number(index + 1, 2) else { return nil }
            index += 3
            var minutes: Int64 = 0
            var seconds: Int64 = 0
            if index < end, bytes[index] == UInt8(ascii: ":") {
                guard let value = number(index + 1, 2) else { return nil }
                minutes = value
                index += 3
                if index < end, bytes[index] == UInt8(ascii: ":") {
                    guard let value = number(index + 1, 2) else { return nil }
                    seconds = value
                    index += 3
                }
            }
            offset = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        guard index == end else { return nil }
        let whole = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(whole) + Double(fraction) / scale)
    }
}
