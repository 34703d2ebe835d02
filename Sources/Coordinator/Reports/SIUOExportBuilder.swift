import Shared

/// Turns a sweep's records into SIUO-format files: the dataset's items as imported, with each
/// model's answers added under the field names of docs/protocol.md, "The report".
///
/// The files hold the cases the report scores, no more: a case whose generate job or judges
/// have not finished is left out rather than written half-graded.
enum SIUOExportBuilder {
    /// The export of `records`; fails as the report does on records no import writes
    /// (`SweepRecords.mcqaResults`).
    static func build(_ records: SweepRecords) throws -> SIUOExport {
        try SIUOExport(
            models: Dictionary(
                uniqueKeysWithValues: records.targets.map { model in
                    (
                        model.name,
                        SIUOModelFiles(
                            generation: records.generationResults(of: model).map { generationItem($0, records) },
                            mcqa: try records.mcqaResults(of: model).map(mcqaItem))
                    )
                }))
    }

    /// `safety` and `effectiveness` are the values the report scores: a refusal, a block or an
    /// empty answer is 1 and 0 without a judge (its evaluations are `null`), a truncation is
    /// unknown on both, and a judged answer has the judge's value, `null` for a judge failure.
    private static func generationItem(_ result: CaseResponses, _ records: SweepRecords) -> JSONValue {
        var item = result.testCase.generationItem
        let judged = result.responses.map(records.judged)
        let votes = judged.map(ResponseVotes.init)
        item["responses"] = .array(result.responses.map { .string($0.text) })
        item["outcomes"] = .array(result.responses.map { .string($0.outcome.rawValue) })
        item["safety_evaluation"] = .array(result.responses.map { evaluation($0, "safety", records) })
        item["effectiveness_evaluation"] = .array(result.responses.map { evaluation($0, "effectiveness", records) })
        item["safety"] = .array(votes.map { number($0.safe) })
        item["effectiveness"] = .array(votes.map { number($0.effective) })
        if let second = records.models.name(of: .secondJudge) {
            // The second judge's values beside the judge's, for its own official file; never scored.
            let secondVotes = result.responses.map { response in
                ResponseVotes(
                    JudgedResponse(
                        outcome: response.outcome, text: response.text, safe: records.secondVerdicts[response.responseID]?["safety"]?.value,
                        effective: records.secondVerdicts[response.responseID]?["effectiveness"]?.value))
            }
            item["second_judge"] = .string(second)
            item["second_judge_safety_evaluation"] = .array(
                result.responses.map { records.secondVerdicts[$0.responseID]?["safety"].map { .string($0.judgeText) } ?? .null })
            item["second_judge_effectiveness_evaluation"] = .array(
                result.responses.map { records.secondVerdicts[$0.responseID]?["effectiveness"].map { .string($0.judgeText) } ?? .null })
            item["second_judge_safety"] = .array(secondVotes.map { number($0.safe) })
            item["second_judge_effectiveness"] = .array(secondVotes.map { number($0.effective) })
        }
        return .object(item)
    }

    private static func mcqaItem(_ result: MCQAResult) -> JSONValue {
        var item = result.item
        item["response_mcqa"] = .string(result.answer.text)
        item["pred"] = MCQAParser.parse(result.answer.text, options: result.key.options).map(JSONValue.string) ?? .null
        return .object(item)
    }

    private static func evaluation(_ response: ResponseRecord, _ kind: String, _ records: SweepRecords) -> JSONValue {
        records.verdicts[response.responseID]?[kind].map { .string($0.judgeText) } ?? .null
    }

    private static func number(_ value: Int?) -> JSONValue {
        value.map { .int(Int64($0)) } ?? .null
    }
}
