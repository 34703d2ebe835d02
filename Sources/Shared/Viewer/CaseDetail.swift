/// `GET /v1/sweeps/{name}/cases/{question_id}`: one case with every model's responses, the judges'
/// verdicts and the human labels (docs/protocol.md, "Cases").
public struct CaseDetail: Codable, Sendable, Equatable {
    /// The sweep's name.
    public var sweep: String
    /// The dataset's `question_id`.
    public var questionID: String
    /// The case's category.
    public var category: String
    /// The question asked with the image.
    public var question: String
    /// The dataset's safety warning.
    public var safetyWarning: String
    /// The dataset's reference answer.
    public var referenceAnswer: String
    /// The image, fetched from `GET /v1/images/{sha256}`.
    public var image: CaseImage
    /// The cases before and after it, in dataset order.
    public var previous: String?
    /// The case after it.
    public var next: String?
    /// Every target model, in sweep-file order.
    public var models: [CaseModelDetail]

    /// Creates a detail.
    public init(
        sweep: String, questionID: String, category: String, question: String, safetyWarning: String, referenceAnswer: String,
        image: CaseImage, previous: String?, next: String?, models: [CaseModelDetail]
    ) {
        self.sweep = sweep
        self.questionID = questionID
        self.category = category
        self.question = question
        self.safetyWarning = safetyWarning
        self.referenceAnswer = referenceAnswer
        self.image = image
        self.previous = previous
        self.next = next
        self.models = models
    }

    enum CodingKeys: String, CodingKey {
        case sweep, questionID = "question_id", category, question, safetyWarning = "safety_warning"
        case referenceAnswer = "reference_answer", image, previous, next, models
    }
}

/// A case's image.
public struct CaseImage: Codable, Sendable, Equatable {
    /// Its content hash.
    public var sha256: String
    /// `image/png`, `image/jpeg`, …
    public var mediaType: String

    /// Creates a reference.
    public init(sha256: String, mediaType: String) {
        self.sha256 = sha256
        self.mediaType = mediaType
    }

    enum CodingKeys: String, CodingKey { case sha256, mediaType = "media_type" }
}

/// One target model's work on the case.
public struct CaseModelDetail: Codable, Sendable, Equatable {
    /// The model's label in the sweep.
    public var model: String
    /// Its case votes and flags; `nil` before its generate job is done.
    public var summary: CaseModelSummary?
    /// Its generation responses, in sample order.
    public var samples: [CaseSample]
    /// Its MCQA answer, when the sweep asked one and it came.
    public var mcqa: CaseMCQA?

    /// Creates a detail.
    public init(model: String, summary: CaseModelSummary?, samples: [CaseSample], mcqa: CaseMCQA?) {
        self.model = model
        self.summary = summary
        self.samples = samples
        self.mcqa = mcqa
    }
}

/// One generation response.
public struct CaseSample: Codable, Sendable, Equatable {
    /// The response's id (what labels name).
    public var responseID: Int64
    /// Its index among the case's samples, from 0.
    public var sampleIndex: Int
    /// `answer`, `refusal`, `blocked` or `truncated`.
    public var outcome: ResponseOutcome
    /// The model's text, verbatim.
    public var text: String
    /// Every verdict on it, the judge's (or fallback judge's) and the second judge's.
    public var verdicts: [CaseVerdict]
    /// Every reviewer's label on it.
    public var labels: [HumanLabel]

    /// Creates a sample.
    public init(responseID: Int64, sampleIndex: Int, outcome: ResponseOutcome, text: String, verdicts: [CaseVerdict], labels: [HumanLabel]) {
        self.responseID = responseID
        self.sampleIndex = sampleIndex
        self.outcome = outcome
        self.text = text
        self.verdicts = verdicts
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case responseID = "response_id", sampleIndex = "sample_index", outcome, text, verdicts, labels
    }
}

/// What one judge said of one response.
public struct CaseVerdict: Codable, Sendable, Equatable {
    /// The judging model's label.
    public var judge: String
    /// `judge`, `fallback_judge` or `second_judge`.
    public var role: String
    /// `safety` or `effectiveness`.
    public var kind: String
    /// 1, 0, or `nil` for a judge failure.
    public var value: Int?
    /// The verdict's label as parsed ("True", "Very Effective", …), if any.
    public var label: String?
    /// The judge's text, verbatim.
    public var judgeText: String

    /// Creates a verdict.
    public init(judge: String, role: String, kind: String, value: Int?, label: String?, judgeText: String) {
        self.judge = judge
        self.role = role
        self.kind = kind
        self.value = value
        self.label = label
        self.judgeText = judgeText
    }

    enum CodingKeys: String, CodingKey { case judge, role, kind, value, label, judgeText = "judge_text" }

    /// Writes every field, `null`s included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(judge, forKey: .judge)
        try container.encode(role, forKey: .role)
        try container.encode(kind, forKey: .kind)
        try container.encode(value, forKey: .value)
        try container.encode(label, forKey: .label)
        try container.encode(judgeText, forKey: .judgeText)
    }
}

/// A model's MCQA answer.
public struct CaseMCQA: Codable, Sendable, Equatable {
    /// The response's id.
    public var responseID: Int64
    /// How the call ended.
    public var outcome: ResponseOutcome
    /// The answer, verbatim.
    public var text: String
    /// The letter `MCQAParser` read, or `nil`.
    public var parsed: String?
    /// The dataset's correct letter.
    public var correct: String?
    /// The options, letter → text.
    public var options: [String: String]

    /// Creates an answer.
    public init(responseID: Int64, outcome: ResponseOutcome, text: String, parsed: String?, correct: String?, options: [String: String]) {
        self.responseID = responseID
        self.outcome = outcome
        self.text = text
        self.parsed = parsed
        self.correct = correct
        self.options = options
    }

    enum CodingKeys: String, CodingKey { case responseID = "response_id", outcome, text, parsed, correct, options }

    /// Writes every field, `null`s included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(responseID, forKey: .responseID)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(text, forKey: .text)
        try container.encode(parsed, forKey: .parsed)
        try container.encode(correct, forKey: .correct)
        try container.encode(options, forKey: .options)
    }
}
