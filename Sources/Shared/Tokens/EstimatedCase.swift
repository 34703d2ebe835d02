/// What a token estimate reads of one case: the texts its prompts carry and its image's size.
public struct EstimatedCase: Sendable, Equatable {
    /// The question.
    public var question: String
    /// The MCQA options (letter → text), when the case has them.
    public var options: [String: String]?
    /// The safety warning (the safety judge's prompt carries it).
    public var safetyWarning: String
    /// The reference answer (the safety judge's prompt carries it).
    public var referenceAnswer: String
    /// The image's size; `nil` when unknown (`ImageTokenEstimate.assumedSize` is used).
    public var image: ImageSize?

    /// Creates a case for estimates.
    public init(question: String, options: [String: String]? = nil, safetyWarning: String = "", referenceAnswer: String = "", image: ImageSize? = nil)
    {
        self.question = question
        self.options = options
        self.safetyWarning = safetyWarning
        self.referenceAnswer = referenceAnswer
        self.image = image
    }

    /// The case as a loaded dataset holds it, with `image`'s size read from its bytes.
    public init(_ testCase: DatasetCase, image: DatasetImage?) {
        self.init(
            question: testCase.question, options: testCase.mcqa?.options, safetyWarning: testCase.safetyWarning,
            referenceAnswer: testCase.referenceAnswer, image: image.flatMap { ImageSize.read($0.bytes) })
    }
}

extension TokenEstimate {
    /// A target job's requests and tokens: `task`'s prompt (the sweep's template or the default)
    /// for `testCase`, asked of `model` `samples` times (MCQA: once).
    public static func job(_ model: ModelSpec, task: SweepTask, prompts: PromptTemplates, testCase: EstimatedCase, samples: Int) -> JobTokens {
        switch task {
        case .generation:
            let prompt = TemplateRole.generation.render(prompts.generation, [.question: testCase.question])
            return job(model, task: .generation, prompt: prompt, image: testCase.image, samples: samples)
        case .mcqa:
            let prompt = TemplateRole.mcqa.render(
                prompts.mcqa, [.question: testCase.question, .options: MCQAOptions.lines(testCase.options ?? [:])])
            return job(model, task: .mcqa, prompt: prompt, image: testCase.image)
        }
    }

    /// One verdict of `judge` (`role`: safety or effectiveness) on a response of `responseTokens`
    /// tokens to `testCase`. The response is counted at the most its model may write.
    public static func verdict(_ judge: ModelSpec, role: TemplateRole, testCase: EstimatedCase, responseTokens: Int) -> JobTokens {
        let template = role == .safety ? judge.safetyPrompt : judge.effectivenessPrompt
        let prompt = role.render(
            template,
            [.question: testCase.question, .safetyWarning: testCase.safetyWarning, .referenceAnswer: testCase.referenceAnswer])
        let estimate = job(judge, task: .judging, prompt: prompt, image: testCase.image)
        return JobTokens(requests: estimate.requests, input: estimate.input + responseTokens, output: estimate.output)
    }
}
