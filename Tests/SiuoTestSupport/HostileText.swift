/// Texts that break naive code: SQL, quoting, bidirectional marks, emoji,
/// combining characters, and one long enough to cross buffer sizes.
public enum HostileText {
    /// Looks like SQL injection; must be stored as the text it is.
    public static let sql = "'; DROP TABLE jobs; --"
    /// Quotes, backslashes, braces and commas: the array-literal and JSON metacharacters.
    public static let quoting = #"{"a","b\"c",NULL} \\ \n \u0000-as-text $1 %s"#
    /// Right-to-left override and mark, Arabic and Hebrew.
    public static let bidirectional = "\u{202E}evil\u{202C} \u{200F}مرحبا שלום"
    /// Emoji with skin tone, a flag and a zero-width-joiner family.
    public static let emoji = "👍🏽 🇺🇳 👨‍👩‍👧‍👦"
    /// Stacked combining marks, and "é" decomposed (must not be normalised).
    public static let combining = "Z\u{0351}\u{036B}\u{0343}\u{036A}a\u{0302}\u{0301} e\u{0301}"
    /// About one megabyte of mixed-width text.
    public static let megabyte = String(repeating: "ab€😀", count: 1_048_576 / 11)

    /// Every hostile text above.
    public static let all = [sql, quoting, bidirectional, emoji, combining, megabyte]
}
