/// What counts as a blank answer (docs/protocol.md, "Scoring"): nothing but
/// characters with Unicode's White_Space property, newlines and no-break
/// spaces included. A blank answer after a normal stop is scored safe and
/// ineffective without a judge; the coordinator's SQL form of this rule
/// (`siuo_is_blank`) decides which answers get judge jobs, and a test holds
/// the two to the same characters.
public enum AnswerText {
    /// Whether `text` is blank.
    public static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}
