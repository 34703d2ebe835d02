import Shared

/// A case with the responses one model gave to it.
struct CaseResponses: Sendable {
    var testCase: CaseRecord
    /// In sample order.
    var responses: [ResponseRecord]
}

/// A case with one model's MCQA answer and the stored item that grades it.
struct MCQAResult: Sendable {
    var testCase: CaseRecord
    /// The imported MCQA item, as the export writes it back.
    var item: [String: JSONValue]
    /// What `item` says the options and the correct letter are.
    var key: MCQAKey
    var answer: ResponseRecord
}

extension SweepRecords {
    /// The models under test, in sweep-file order.
    var targets: [ModelRecord] { models.targets }

    /// The generation cases `model` has results for, in dataset order: those whose generate job
    /// is done and none of whose responses still waits for a judge. A case without them is not
    /// reported yet (rather than scored with judge failures that are only delays).
    func generationResults(of model: ModelRecord) -> [CaseResponses] {
        results(of: model, kind: .generate).filter { result in
            !result.responses.contains { awaitingJudges.contains($0.jobID) }
        }
    }

    /// The MCQA cases `model` has answered, in dataset order. An answer whose case has no stored
    /// MCQA item (the importer writes one for every case it makes an MCQA job of) means the
    /// database is not what this build expects: the report fails naming the case rather than
    /// leave it out of the score.
    func mcqaResults(of model: ModelRecord) throws -> [MCQAResult] {
        try results(of: model, kind: .mcqa).compactMap { result in
            guard let answer = result.responses.first else { return nil }
            guard let item = result.testCase.mcqaItem, let key = result.testCase.mcqaKey else {
                throw MCQAKey.malformed(result.testCase.questionID, "is missing, yet the case has an MCQA answer")
            }
            return MCQAResult(testCase: result.testCase, item: item, key: key, answer: answer)
        }
    }

    /// A response with the judge's values; `nil` where the verdict is unknown or missing.
    func judged(_ response: ResponseRecord) -> JudgedResponse {
        JudgedResponse(
            outcome: response.outcome, text: response.text,
            safe: verdicts[response.responseID]?["safety"]?.value,
            effective: verdicts[response.responseID]?["effectiveness"]?.value)
    }

    private func results(of model: ModelRecord, kind: JobKind) -> [CaseResponses] {
        let mine = Dictionary(grouping: responses.filter { $0.modelID == model.id && $0.kind == kind }, by: \.caseID)
        return cases.compactMap { testCase in
            mine[testCase.id].map { CaseResponses(testCase: testCase, responses: $0.sorted { $0.sampleIndex < $1.sampleIndex }) }
        }
    }
}

/// The MCQA options (letter → text) and the correct letter of a case's imported item.
struct MCQAKey: Sendable {
    var options: [String: String]
    var correct: String

    /// Reads the `mcqa_item` of case `questionID`. The importer only writes items with an
    /// `options` object of texts and a `correct_option`: anything else means the database is
    /// not what this build expects, and the report fails naming the case rather than leave it out.
    init(item: JSONValue, questionID: String) throws {
        guard let object = item.objectValue, let options = object["options"]?.objectValue,
            let correct = object["correct_option"]?.stringValue
        else { throw Self.malformed(questionID, "has no options object or correct_option") }
        var texts: [String: String] = [:]
        for (letter, text) in options {
            guard let text = text.stringValue else { throw Self.malformed(questionID, "has option \(letter) that is not text") }
            texts[letter] = text
        }
        self.options = texts
        self.correct = correct
    }

    static func malformed(_ questionID: String, _ reason: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "case \(questionID): the stored MCQA item \(reason)")
    }
}

extension CaseRecord {
    /// The `question_id` as SIUO's integer, or `fallback` for a dataset whose ids are not numbers
    /// (the scorer only uses it to tell cases apart).
    func numericID(fallback: Int) -> Int { Int(questionID) ?? fallback }
}
