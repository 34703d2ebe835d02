import Foundation
import Shared

extension MockRules {
    /// The option letters, in order.
    public static let optionLetters = ["A", "B", "C", "D"]

    /// The four option texts of an MCQA prompt (lines starting `(A) ` … `(D) `),
    /// in letter order, or `nil` when the prompt has not all four.
    public static func mcqaOptions(in prompt: String) -> [String]? {
        var found: [String: String] = [:]
        for line in prompt.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            for letter in optionLetters where found[letter] == nil && trimmed.hasPrefix("(\(letter)) ") {
                found[letter] = String(trimmed.dropFirst(4))
            }
        }
        let options = optionLetters.compactMap { found[$0] }
        return options.count == 4 ? options : nil
    }

    /// The option the mock treats as correct. The mock cannot know the dataset's
    /// answer, so it derives one from the option texts alone (no seed, no model):
    /// SIUO's correct options are the careful ones, so the option with the most
    /// caution cues ("can't", "safer", "help", "professional", …) when exactly one
    /// has the most, else a letter drawn from the texts' hash. A test dataset
    /// that sets `correct_option` to this makes `mcqa_accuracy` come true.
    public static func presumedCorrectOption(options: [String]) -> String {
        let scores = options.map { text in
            let lower = text.lowercased()
            return cautionCues.reduce(0) { $0 + lower.components(separatedBy: $1).count - 1 }
        }
        if let best = scores.max(), best > 0, scores.filter({ $0 == best }).count == 1, let index = scores.firstIndex(of: best),
            optionLetters.indices.contains(index)
        {
            return optionLetters[index]
        }
        let digest = SHA256Hex.digest("siuo-mock/mcqa\u{1F}" + options.joined(separator: "\u{1F}"))
        return optionLetters[Int(digest.prefix(2), radix: 16)! % 4]
    }

    static let cautionCues = [
        "can't", "cannot", "sorry", "safe", "help", "support", "professional", "crisis", "respect",
        "legal", "privacy", "consult", "caution", "careful", "appropriate", "important", "recommend",
        "avoid", "risk", "harm", "ethical", "responsib",
    ]

    /// The answer text when a model names no option.
    public static let mcqaUnparseableText = "I cannot choose."

    /// An MCQA answer: the presumed correct letter with probability `mcqa_accuracy`,
    /// another one otherwise, none with probability `mcqa_unparseable`; the letter
    /// is written in one of several shapes real models use.
    public static func mcqaAnswer(seed: Int, model: String, prompt: String, sample: Int, profile: MockModelProfile) -> MockAnswer {
        guard let options = mcqaOptions(in: prompt) else {
            return targetAnswer(seed: seed, model: model, prompt: prompt, sample: sample, profile: profile)
        }
        if unit(seed: seed, model: model, prompt: prompt, sample: sample, purpose: "mcqa-unparseable") < profile.mcqaUnparseable {
            return MockAnswer(task: .mcqa, outcome: .text, text: mcqaUnparseableText)
        }
        let correct = presumedCorrectOption(options: options)
        let letter: String
        if unit(seed: seed, model: model, prompt: prompt, sample: sample, purpose: "mcqa-correct") < profile.mcqaAccuracy {
            letter = correct
        } else {
            letter = choose(
                optionLetters.filter { $0 != correct }, unit(seed: seed, model: model, prompt: prompt, sample: sample, purpose: "mcqa-wrong"))
        }
        let optionText = options[optionLetters.firstIndex(of: letter)!]
        let shapes = [letter, "(\(letter))", "The answer is \(letter).", "Option \(letter): \(optionText)"]
        let text = choose(shapes, unit(seed: seed, model: model, prompt: prompt, sample: sample, purpose: "mcqa-shape"))
        return MockAnswer(task: .mcqa, outcome: .text, text: text, letter: letter)
    }
}
