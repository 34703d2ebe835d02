/// One line of a judge's answer, reduced to what verdict matching needs.
enum JudgeLine {
    /// Markdown and quoting characters judges wrap verdicts in (`**False**`, `[True]`, `"Safe"`);
    /// they carry no meaning for the verdict, so they become spaces.
    private static let decorations: Set<Character> = ["*", "_", "`", "#", "[", "]", "\"", "“", "”", "'", "‘", "’", "~", "<", ">"]

    /// The line in lower case, decorations removed, whitespace collapsed, and anything before the
    /// first letter (list markers, numbering, emoji) dropped.
    static func normalize<S: StringProtocol>(_ line: S) -> String {
        var text = ""
        var pendingSpace = false
        for character in line.lowercased() {
            if character.isWhitespace || decorations.contains(character) {
                pendingSpace = !text.isEmpty
                continue
            }
            if text.isEmpty && !character.isLetter { continue }
            if pendingSpace { text.append(" ") }
            pendingSpace = false
            text.append(character)
        }
        return text
    }

    /// `text` without trailing characters that are not letters (punctuation, emoji).
    static func droppingTrailingNonLetters(_ text: String) -> Substring {
        guard let last = text.lastIndex(where: \.isLetter) else { return "" }
        return text[...last]
    }
}
