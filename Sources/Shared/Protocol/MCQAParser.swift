/// Reads the option letter from a model's MCQA answer (docs/protocol.md, "MCQA"), deterministically.
///
/// The parser never guesses: an answer that names two letters ("A or B", "Answer: A … the
/// answer is C") or none it can be sure of is `nil`, which scores as wrong and is counted as
/// `unparsed`. Evidence, strongest first:
/// 1. the whole answer, or its first or last line, is a letter: "B", "(B)", "B.", "**C**", "b";
/// 2. an answer statement ("The answer is C", "Answer: D", "I choose B") or a leading letter
///    with a delimiter ("B) …", "(A) …", "C: …") or followed by its own option text;
/// 3. a mention of one option by name ("Option D: …"), if nothing above decided;
/// 4. the text of exactly one option, alone (case-insensitive, trailing period allowed).
/// Inside a level, every letter found must agree.
public enum MCQAParser {
    /// The chosen option's letter (a key of `options`), or `nil` when the answer names none or
    /// several.
    public static func parse(_ text: String, options: [String: String]) -> String? {
        let letters = Dictionary(options.keys.map { ($0.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let answer = MCQAText.clean(text)
        guard !answer.isEmpty, !MCQAText.namesAlternatives(answer, letters: letters) else { return nil }
        let levels: [() -> [String]] = [
            { MCQAText.bareLetterLines(answer) },
            { MCQAText.answerStatements(answer) + MCQAText.leadingLetter(answer, options: options) },
            { MCQAText.optionMentions(answer) },
            { MCQAText.optionTextMatches(answer, options: options) },
        ]
        for level in levels {
            let found = Set(level().map { $0.uppercased() }.filter { letters[$0] != nil })
            if found.count > 1 { return nil }
            if let letter = found.first { return letters[letter] }
        }
        return nil
    }
}
