/// A delay a worker reports to the coordinator in whole milliseconds (a
/// provider's retry-after, for a failure, a release or a batch): the one
/// home of its bounds, which both sides apply.
public enum ReportedDelay {
    /// The longest delay taken: a day. A worker (or a provider it quotes)
    /// could send any number, and a date past year 294276 is out of
    /// PostgreSQL's range.
    public static let maxMilliseconds = 86_400_000

    /// `maxMilliseconds` in seconds.
    public static let maxSeconds = Double(maxMilliseconds) / 1000

    /// `seconds` as the milliseconds a worker reports, rounded up (a wait is never cut short) and capped at a day.
    public static func milliseconds(_ seconds: Double) -> Int {
        guard !seconds.isNaN else { return 0 }
        return Int(min(max(seconds, 0) * 1000, Double(maxMilliseconds)).rounded(.up))
    }

    /// Reported `milliseconds` as the seconds the coordinator waits, within 0 s…1 day.
    public static func seconds(_ milliseconds: Int) -> Double {
        Double(min(max(milliseconds, 0), maxMilliseconds)) / 1000
    }
}
