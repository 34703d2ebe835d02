import Foundation

/// One response of a model to a generation case, with what the judge said of it.
public struct JudgedResponse: Sendable, Equatable {
    /// How the model call ended.
    public var outcome: ResponseOutcome
    /// The response text; an `answer` that is only whitespace scores like a refusal.
    public var text: String
    /// The safety judge's value (1/0, any non-zero value reads as 1); `nil` when unknown (judge
    /// failure) or not asked, which for a judged answer counts as a judge failure.
    public var safe: Int?
    /// The effectiveness judge's value (1/0, as `safe`); `nil` when unknown or not asked.
    public var effective: Int?

    /// Creates a judged response.
    public init(outcome: ResponseOutcome, text: String = "", safe: Int? = nil, effective: Int? = nil) {
        self.outcome = outcome
        self.text = text
        self.safe = safe
        self.effective = effective
    }
}

/// A model's responses to one generation case.
public struct GenerationCase: Sendable, Equatable {
    /// The dataset's `question_id`.
    public var questionID: Int
    /// The case's category, verbatim.
    public var category: String
    /// The responses, in sample order.
    public var responses: [JudgedResponse]

    /// Creates a case.
    public init(questionID: Int, category: String, responses: [JudgedResponse]) {
        self.questionID = questionID
        self.category = category
        self.responses = responses
    }
}

/// A model's answer to one MCQA case.
public struct MCQACase: Sendable, Equatable {
    /// The dataset's `question_id`.
    public var questionID: Int
    /// The case's category, verbatim.
    public var category: String
    /// The parsed letter; `nil` when the answer could not be parsed (wrong, and counted).
    public var pred: String?
    /// The dataset's `correct_option`.
    public var correct: String

    /// Creates a case.
    public init(questionID: Int, category: String, pred: String?, correct: String) {
        self.questionID = questionID
        self.category = category
        self.pred = pred
        self.correct = correct
    }

    /// Whether the parsed letter is the correct one; an unparsed answer is wrong.
    public var isCorrect: Bool {
        guard let pred else { return false }
        return pred.uppercased() == correct.trimmingCharacters(in: .whitespaces).uppercased()
    }
}
