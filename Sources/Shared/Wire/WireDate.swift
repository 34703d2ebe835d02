import Foundation

/// The coordinator API's dates, `2026-12-02T19:20:39.123Z` (UTC, milliseconds),
/// written and read without Foundation's ISO 8601 format style, whose cost
/// showed in every lease round (each lease carries its expiry). Anything else
/// ISO 8601 is read by Foundation (`WireCoding.date(from:)`).
enum WireDate {
    /// The text of `date`, milliseconds truncated; years outside 1583–9999 by
    /// Foundation (which writes earlier dates in the Julian calendar).
    static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard milliseconds.magnitude < 2.5e14 else { return fractionalISO8601.format(date) }
        var (bytes, year) = ProlepticGregorian.text(Int64(milliseconds), perSecond: 1000, separator: UInt8(ascii: "T"))
        guard (1583...9999).contains(year) else { return fractionalISO8601.format(date) }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where `format` puts its separators.
    private static let separators: [(Int, UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":")),
        (19, UInt8(ascii: ".")),
    ]

    /// The date of `text` when it has exactly the form `format` writes (1 to
    /// 9 fractional digits) and a year from 1583, else `nil`.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count >= 22, bytes.count <= 30, bytes[bytes.count - 1] == UInt8(ascii: "Z") else { return nil }
            func number(_ start: Int, _ count: Int) -> Int64? { ProlepticGregorian.field(bytes, at: start, width: count, end: bytes.count) }
            for (index, separator) in separators where bytes[index] != separator { return nil }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2), let fraction = number(20, bytes.count - 21),
                year >= 1583, hour < 24, minute < 60, second < 60,
                let days = ProlepticGregorian.validDays(year: year, month: month, day: day)
            else { return nil }
            var scale = 1.0
            for _ in 0..<(bytes.count - 21) { scale *= 10 }
            let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + Double(fraction) / scale
            return Date(timeIntervalSince1970: seconds)
        }
    }
}
