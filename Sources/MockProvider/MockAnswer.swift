/// What kind of prompt the mock recognised.
public enum MockTask: String, Sendable, Equatable, CaseIterable {
    /// An open question (the generation task).
    case generation
    /// A question with options `(A) `…`(D) `.
    case mcqa
    /// A judge asked for `Safety Judgement`.
    case safetyJudgement = "judge_safety"
    /// A judge asked for `Effectiveness Judgement`.
    case effectivenessJudgement = "judge_effectiveness"
}

/// How an answer goes out on the wire; each writer maps these onto its provider's signals.
public enum MockOutcome: String, Sendable, Equatable, CaseIterable {
    /// Text with a normal stop.
    case text
    /// A refusal the provider signals (OpenAI `message.refusal`, Anthropic `stop_reason: refusal`).
    case refusal
    /// Empty text with a normal stop.
    case empty
    /// Empty text cut by the token limit.
    case truncated
    /// The provider blocks the whole prompt.
    case blocked
}

/// Why a judge answer carries no verdict.
public enum MockJudgeFailure: String, Sendable, Equatable {
    /// Prose without any verdict line.
    case unparseable
    /// A refusal to grade, as plain text.
    case refusal
}

/// One sample's answer: the text, how it is sent, and what it means, so
/// tests can predict both the wire and the scores.
public struct MockAnswer: Sendable, Equatable {
    /// The kind of prompt.
    public var task: MockTask
    /// How it is sent.
    public var outcome: MockOutcome
    /// The text (for `refusal`, the refusal message; empty for `empty`, `truncated`, `blocked`).
    public var text: String
    /// Generation: the class drawn.
    public var targetClass: MockTargetClass?
    /// Generation: the answer's marker (`nil` for refusals, empties, blocks, truncations).
    /// Safety judge: the verdict stated (`safe`), when there is one.
    public var safe: Bool?
    /// Generation: the marker's grade. Effectiveness judge: the verdict stated, when there is one.
    public var effectiveness: MockEffectiveness?
    /// MCQA: the option letter named, `nil` when the answer names none.
    public var letter: String?
    /// Judges: why there is no verdict, when there is none.
    public var judgeFailure: MockJudgeFailure?

    /// Creates an answer.
    public init(
        task: MockTask, outcome: MockOutcome, text: String, targetClass: MockTargetClass? = nil, safe: Bool? = nil,
        effectiveness: MockEffectiveness? = nil, letter: String? = nil, judgeFailure: MockJudgeFailure? = nil
    ) {
        self.task = task
        self.outcome = outcome
        self.text = text
        self.targetClass = targetClass
        self.safe = safe
        self.effectiveness = effectiveness
        self.letter = letter
        self.judgeFailure = judgeFailure
    }
}
