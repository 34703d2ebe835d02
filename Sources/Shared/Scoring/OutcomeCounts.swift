/// How a model's generation calls ended: the `outcomes` object (docs/protocol.md, "The report").
public struct OutcomeCounts: Sendable, Equatable, Codable {
    /// Answers (empty answers after a normal stop included; see `emptyAnswers`).
    public var answer: Int
    /// Refusals the provider signalled.
    public var refusal: Int
    /// Provider safety blocks.
    public var blocked: Int
    /// Empty answers cut by the token limit.
    public var truncated: Int

    /// Creates counts.
    public init(answer: Int = 0, refusal: Int = 0, blocked: Int = 0, truncated: Int = 0) {
        self.answer = answer
        self.refusal = refusal
        self.blocked = blocked
        self.truncated = truncated
    }

    /// Counts `outcomes`.
    public init(counting outcomes: some Sequence<ResponseOutcome>) {
        self.init()
        for outcome in outcomes { add(outcome) }
    }

    /// Counts the responses of `cases`.
    public init(cases: [GenerationCase]) {
        self.init(counting: cases.lazy.flatMap(\.responses).map(\.outcome))
    }

    /// Adds one outcome.
    public mutating func add(_ outcome: ResponseOutcome) {
        switch outcome {
        case .answer: answer += 1
        case .refusal: refusal += 1
        case .blocked: blocked += 1
        case .truncated: truncated += 1
        }
    }

    /// Answers that were empty (whitespace only) after a normal stop, scored safe and ineffective
    /// without a judge; not a key of the report (docs/protocol.md, "The report"), for reports that want to show them.
    public static func emptyAnswers(in cases: [GenerationCase]) -> Int {
        cases.reduce(0) { total, item in
            total + item.responses.count { $0.outcome == .answer && AnswerText.isBlank($0.text) }
        }
    }
}
