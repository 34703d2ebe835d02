import Foundation

/// The `{options}` text of an MCQA prompt.
public enum MCQAOptions {
    /// One line per option in letter order, `(A) text`.
    ///
    /// Option texts are embedded verbatim except for surrounding whitespace, which the dataset
    /// carries by accident (some texts start with a space); an option text with line breaks of
    /// its own keeps them, since rewording the options would change the question.
    public static func lines(_ options: [String: String]) -> String {
        options.keys.sorted().map { letter in
            "(\(letter)) \(options[letter]!.trimmingCharacters(in: .whitespacesAndNewlines))"
        }.joined(separator: "\n")
    }
}
