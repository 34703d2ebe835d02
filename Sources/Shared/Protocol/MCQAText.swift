import Foundation

/// The pattern matching behind `MCQAParser`, one kind of evidence per function.
enum MCQAText {
    /// `text` without markdown emphasis and surrounding whitespace.
    static func clean(_ text: String) -> String {
        String(text.filter { !["*", "_", "`", "#"].contains($0) }).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `text` offers two options as the answer: "A or B", "(A)/(C)", "B and D", "A, B".
    static func namesAlternatives(_ text: String, letters: [String: String]) -> Bool {
        text.matches(of: #/(?:^|[^A-Za-z0-9])[(\[]?([A-Z])[)\]]?\s*(?:,|/|&|or\s|and\s)\s*[(\[]?([A-Z])[)\]]?(?![A-Za-z0-9])/#)
            .contains { letters[String($0.output.1)] != nil && letters[String($0.output.2)] != nil }
    }

    /// Letters that make up a whole line: the answer itself, its first line or its last line.
    static func bareLetterLines(_ text: String) -> [String] {
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return [lines.first, lines.last].compactMap { line in
            guard let line, let match = line.wholeMatch(of: #/[(\[]?([A-Za-z])[)\]]?[.:)]?/#) else { return nil }
            return String(match.output.1)
        }
    }

    /// Letters after "answer", "choice", "choose", "pick", "select", "go with" or "option is". A lower-case letter
    /// counts only when punctuation or the end follows it, so "the answer is a bit unclear" is no answer.
    /// The spaces after the separator belong to the separator: two optional space runs side by side
    /// let the regex engine try every split of a long run of spaces, which took minutes.
    static func answerStatements(_ text: String) -> [String] {
        let pattern =
            #/(?i:\b(?:(?:answer|choice|choose|pick|select|go with)\b(?:\s+(?:is|would be|should be|will be|option))?|option\s+(?:is|would be|should be|will be)\b))\s*(?:[:\-]\s*)?[(\[]?([A-Za-z])(?![A-Za-z0-9])/#
        return text.matches(of: pattern).compactMap { match in
            let letter = match.output.1
            guard letter.first!.isLowercase else { return String(letter) }
            let after = text[match.range.upperBound...].drop(while: { $0 == " " || $0 == ")" || $0 == "]" })
            return after.first.map { ".,;:!".contains($0) || $0.isNewline } ?? true ? String(letter) : nil
        }
    }

    /// The letter that opens the answer, when a delimiter ("B) …", "(A) …", "C: …", "D - …", "A, …") or its
    /// own option text ("A I'm sorry, I can't…") follows it.
    static func leadingLetter(_ text: String, options: [String: String]) -> [String] {
        if let match = text.prefixMatch(of: #/\(([A-Za-z])\)|\[([A-Za-z])\]|([A-Z])(?:[.,:)\]]|\s*[-–—])/#) {
            return [match.output.1 ?? match.output.2 ?? match.output.3].compactMap { $0.map(String.init) }
        }
        guard let match = text.prefixMatch(of: #/([A-Z])\s+/#) else { return [] }
        let letter = String(match.output.1)
        let rest = comparable(text[match.range.upperBound...])
        guard let option = options.first(where: { $0.key.uppercased() == letter })?.value else { return [] }
        let optionText = comparable(option[...])
        let echoes = rest.hasPrefix(optionText) || (rest.count >= 4 && optionText.hasPrefix(rest))
        return echoes ? [letter] : []
    }

    /// Letters named as "Option D" / "option (B)".
    static func optionMentions(_ text: String) -> [String] {
        text.matches(of: #/(?i:\boption)\s*[(\[]?([A-Z])(?![A-Za-z0-9])/#).map { String($0.output.1) }
    }

    /// The letter of the one option whose text is the whole answer.
    static func optionTextMatches(_ text: String, options: [String: String]) -> [String] {
        let answer = comparable(text[...])
        let matches = options.filter { comparable(Substring(clean($0.value))) == answer }.map(\.key)
        return matches.count == 1 ? matches : []
    }

    /// Lower case, whitespace collapsed, trailing periods and ellipses dropped: the form in which
    /// an echoed option text is compared.
    private static func comparable(_ text: Substring) -> String {
        var words = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while let last = words.last, last == "." || last == "…" { words.removeLast() }
        return words
    }
}
