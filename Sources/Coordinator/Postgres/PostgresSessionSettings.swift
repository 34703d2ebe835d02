import CLibPQ
import Foundation

/// Server settings every session the coordinator opens starts with: the
/// timeouts, hex bytea, no JIT, and the time zone and date style its
/// timestamp text is read in (docs/operations.md, "Behind PgBouncer").
///
/// They travel in the connection's startup packet (libpq's `options`
/// keyword, `-c name=value`), not as a `SET` after connecting: the server
/// applies them before the first statement, a connection costs no extra
/// round trip, and a pooler that tracks startup parameters keeps them per
/// client. A value the URL's own `options` sets for the same name wins,
/// except the time zone, date style and message level, which the decoders
/// and the notice handling rely on.
public struct PostgresSessionSettings: Sendable, Equatable {
    /// The longest one statement may run before the server cancels it
    /// (`statement_timeout`); zero: no limit.
    public var statementTimeout: Duration
    /// The longest a session may sit idle inside a transaction before the
    /// server ends the session (`idle_in_transaction_session_timeout`);
    /// zero: no limit.
    public var idleInTransactionTimeout: Duration

    /// The default statement timeout.
    public static let defaultStatementTimeout = Duration.seconds(30)
    /// The default idle-in-transaction timeout.
    public static let defaultIdleInTransactionTimeout = Duration.seconds(60)
    /// The largest timeout accepted: one day.
    public static let maxTimeout = Duration.seconds(86_400)

    /// Settings with the given timeouts; each must be 0 (no limit) or from 1 ms to a day.
    public init(
        statementTimeout: Duration = defaultStatementTimeout, idleInTransactionTimeout: Duration = defaultIdleInTransactionTimeout
    ) throws(InvalidSetting) {
        try Self.check(statementTimeout, name: "statement timeout")
        try Self.check(idleInTransactionTimeout, name: "idle-in-transaction timeout")
        self.statementTimeout = statementTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
    }

    /// The defaults: 30 s per statement, 60 s idle in a transaction.
    public static let standard = try! PostgresSessionSettings()

    /// A timeout given as seconds (`"30"`, `"2.5"`, `"0"` for no limit).
    public static func seconds(_ text: String, name: String) throws(InvalidSetting) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let seconds = Double(trimmed), seconds.isFinite else {
            throw InvalidSetting(name: name, reason: "expected a number of seconds (0: no limit), got \"\(text)\"")
        }
        let milliseconds = (seconds * 1000).rounded()
        // A tiny positive value must not round to 0, which means "no limit".
        guard milliseconds >= 0, seconds <= 0 || milliseconds >= 1, milliseconds <= Double(maxTimeout.components.seconds * 1000) else {
            throw InvalidSetting(name: name, reason: "expected 0 (no limit) to \(maxTimeout.components.seconds) seconds, got \"\(text)\"")
        }
        let duration = Duration.milliseconds(Int64(milliseconds))
        try check(duration, name: name)
        return duration
    }

    /// The startup `options` value: `-c` switches, then `userOptions` (the
    /// URL's or `PGOPTIONS`), whose settings come later and so win, then
    /// the settings the coordinator's reading of results needs.
    func startupOptions(after userOptions: String?) -> String {
        let ours = [
            "-c statement_timeout=\(Self.milliseconds(statementTimeout))",
            "-c idle_in_transaction_session_timeout=\(Self.milliseconds(idleInTransactionTimeout))",
            // The text decoder reads bytea as hex (the server's default since 9.0; a role could change it).
            "-c bytea_output=hex",
            // No JIT compilation: the coordinator's statements are short. The claim's generic plan is costed
            // for a model's whole queue times the grant rows the planner guesses; past `jit_above_cost` (a
            // long queue, or an unanalyzed `lease_grants`) every claim compiled about 120 functions,
            // hundreds of milliseconds a call, until new statistics re-planned it (docs/operations.md, "Benchmarks").
            "-c jit=off",
        ].joined(separator: " ")
        // Timestamp text is parsed as ISO in UTC; notices below warnings are not wanted.
        let fixed = "-c TimeZone=UTC -c DateStyle=ISO,MDY -c client_min_messages=warning"
        guard let userOptions, !userOptions.trimmingCharacters(in: .whitespaces).isEmpty else { return ours + " " + fixed }
        return ours + " " + userOptions + " " + fixed
    }

    /// libpq's connection keywords and values for `url`: defaults first (anything
    /// the URL says wins), then `options`, merging these settings with the URL's
    /// own (or `PGOPTIONS`).
    func connectParameters(url: String) -> (keywords: [String], values: [String]) {
        let userOptions = Self.options(in: url) ?? ProcessInfo.processInfo.environment["PGOPTIONS"]
        return (
            ["connect_timeout", "application_name", "keepalives_idle", "dbname", "options"],
            ["10", "siuo", "30", url, startupOptions(after: userOptions)]
        )
    }

    /// The `options` a connection string or URL sets, if any.
    private static func options(in url: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(url, &error) else {
            if let error { PQfreemem(error) }
            return nil  // connecting reports the malformed URL
        }
        defer { PQconninfoFree(parsed) }
        var option = parsed
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "options", let value = option.pointee.val { return String(cString: value) }
            option += 1
        }
        return nil
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private static func check(_ duration: Duration, name: String) throws(InvalidSetting) {
        guard duration >= .zero, duration <= maxTimeout else {
            throw InvalidSetting(name: name, reason: "expected 0 (no limit) to \(maxTimeout.components.seconds) seconds, got \(duration)")
        }
        guard duration == .zero || duration >= .milliseconds(1) else {
            throw InvalidSetting(name: name, reason: "expected 0 (no limit) or at least 1 ms, got \(duration)")
        }
    }

    /// A session setting out of range or not a number.
    public struct InvalidSetting: Error, Sendable, CustomStringConvertible, Equatable {
        /// Which setting.
        public var name: String
        /// What is wrong with the value.
        public var reason: String

        /// The setting and what is wrong.
        public var description: String { "\(name): \(reason)" }
    }
}
