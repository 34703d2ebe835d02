/// Day arithmetic of the proleptic Gregorian calendar (H. Hinnant's
/// algorithms), the calendar both PostgreSQL and the wire's dates use: the
/// one home of it for `WireDate` and the coordinator's `timestamptz` reader.
public enum ProlepticGregorian {
    /// Days since 1970-01-01 of `year`-`month`-`day` (astronomical years: 0 is 1 BC).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01, as (year, month, day).
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a valid date, or `nil` for a month or day out of range (31 February).
    public static func validDays(year: Int64, month: Int64, day: Int64) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = days(year: year, month: month, day: day)
        return date(days: days) == (year, month, day) ? days : nil
    }

    /// `yyyy-mm-dd`, `separator`, then `hh:mm:ss.` and the fraction: the
    /// instant `units` after 1970-01-01 00:00, counted in `perSecond` units
    /// a second (1,000 for milliseconds, 1,000,000 for microseconds: a power
    /// of ten, whose digits the fraction has), well within Int64. A year
    /// before 1 is written as its number before Christ; the caller adds the
    /// era, and the suffix of its format, after it.
    public static func text(_ units: Int64, perSecond: Int64, separator: UInt8) -> (bytes: [UInt8], year: Int64) {
        let perDay = perSecond * 86_400
        // Rounded down, before 1970 too: the time of day is never negative.
        let days = units >= 0 ? units / perDay : -((-units + perDay - 1) / perDay)
        let inDay = units - days * perDay
        let seconds = inDay / perSecond
        let fraction = inDay % perSecond
        var fractionDigits = 0
        var scale = perSecond
        while scale > 1 {
            scale /= 10
            fractionDigits += 1
        }
        let (year, month, day) = date(days: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        // `value` (not negative) in `count` digits or as many more as it needs, without making a string.
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            var width = 1
            while width < count || value / divisor >= 10 {
                divisor *= 10
                width += 1
            }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor))
                value %= divisor
                divisor /= 10
            }
        }
        digits(year <= 0 ? 1 - year : year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(separator)
        digits(seconds / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        bytes.append(UInt8(ascii: "."))
        digits(fraction, fractionDigits)
        return (bytes, year)
    }

    /// The number written in `width` decimal digits at `start` of a date's
    /// text, or `nil` when a byte there is not a digit or the field passes `end`.
    public static func field(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, width: Int, end: Int) -> Int64? {
        guard start >= 0, width >= 0, start + width <= min(end, bytes.count) else { return nil }
        var value: Int64 = 0
        for index in start..<(start + width) {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
