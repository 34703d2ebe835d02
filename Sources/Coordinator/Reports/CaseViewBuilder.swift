import Shared

/// Turns ``CaseRows`` into the viewer's case list and case pages. Votes come from the scoring code
/// (`ResponseVotes`, `CaseVotes`) over the judge's (or fallback judge's) verdicts only, as the score
/// counts them; the second judge's verdicts are shown and compared, never counted.
enum CaseViewBuilder {

    static func list(_ rows: CaseRows) -> CaseList {
        let targets = rows.models.targets
        let byKey = Dictionary(grouping: rows.responses.filter { $0.kind == .generate }) { Key(model: $0.modelID, testCase: $0.caseID) }
        return CaseList(
            sweep: rows.sweep, models: targets.map(\.name), judge: rows.models.name(of: .judge),
            fallbackJudge: rows.models.name(of: .fallbackJudge), secondJudge: rows.models.name(of: .secondJudge),
            cases: rows.cases.map { testCase in
                CaseSummary(
                    questionID: testCase.questionID, category: testCase.category, question: testCase.question,
                    models: Dictionary(
                        uniqueKeysWithValues: targets.compactMap { model in
                            byKey[Key(model: model.id, testCase: testCase.id)].map { (model.name, summary(sorted($0), rows)) }
                        }))
            })
    }

    /// The case at `position` of `rows.cases`, with its neighbours' ids for paging.
    static func detail(_ rows: CaseRows, position: Int) throws -> CaseDetail {
        let testCase = rows.cases[position]
        let caseID = testCase.id
        let key = try testCase.mcqaItem.map { try MCQAKey(item: $0, questionID: testCase.questionID) }
        let models = rows.models.targets.map { model in
            let mine = rows.responses.filter { $0.modelID == model.id && $0.caseID == caseID }
            let generated = sorted(mine.filter { $0.kind == .generate })
            let mcqa = mine.first { $0.kind == .mcqa }.map { answer in
                CaseMCQA(
                    responseID: answer.responseID, outcome: answer.outcome, text: answer.text,
                    parsed: key.flatMap { MCQAParser.parse(answer.text, options: $0.options) }, correct: key?.correct,
                    options: key?.options ?? [:])
            }
            return CaseModelDetail(
                model: model.name, summary: generated.isEmpty ? nil : summary(generated, rows),
                samples: generated.map { response in
                    CaseSample(
                        responseID: response.responseID, sampleIndex: response.sampleIndex, outcome: response.outcome, text: response.text,
                        verdicts: rows.verdicts[response.responseID] ?? [], labels: rows.labels[response.responseID] ?? [])
                }, mcqa: mcqa)
        }
        return CaseDetail(
            sweep: rows.sweep, questionID: testCase.questionID, category: testCase.category, question: testCase.question,
            safetyWarning: testCase.safetyWarning, referenceAnswer: testCase.referenceAnswer, image: testCase.image,
            previous: position > 0 ? rows.cases[position - 1].questionID : nil,
            next: position + 1 < rows.cases.count ? rows.cases[position + 1].questionID : nil, models: models)
    }

    /// One model's votes and flags on one case, from its generation responses in sample order.
    static func summary(_ responses: [ResponseRecord], _ rows: CaseRows) -> CaseModelSummary {
        let judged = responses.map { response in
            JudgedResponse(
                outcome: response.outcome, text: response.text, safe: value(rows, response, "safety", scoring: true),
                effective: value(rows, response, "effectiveness", scoring: true))
        }
        let votes = judged.map(ResponseVotes.init)
        let judgesDisagree = responses.contains { response in
            ["safety", "effectiveness"].contains { kind in
                guard let first = value(rows, response, kind, scoring: true), let second = value(rows, response, kind, scoring: false) else {
                    return false
                }
                return (first == 0) != (second == 0)
            }
        }
        return CaseModelSummary(
            votes: CaseVotes(judged), judging: responses.contains { rows.awaitingJudges.contains($0.responseID) },
            outcomes: OutcomeCounts(counting: responses.map(\.outcome)),
            samplesDisagree: Set(votes.compactMap(\.safe)).count > 1 || Set(votes.compactMap(\.effective)).count > 1,
            judgesDisagree: judgesDisagree, responseIDs: responses.map(\.responseID),
            labelledResponses: responses.count { !(rows.labels[$0.responseID] ?? []).isEmpty })
    }

    /// The known value of `kind` the judge's jobs (answered by the judge or its
    /// fallback) or, with `scoring: false`, the second judge's jobs gave `response`.
    static func value(_ rows: CaseRows, _ response: ResponseRecord, _ kind: String, scoring: Bool) -> Int? {
        rows.values[CountedVerdict(responseID: response.responseID, kind: kind, jobRole: scoring ? .judge : .secondJudge)]
    }

    private static func sorted(_ responses: [ResponseRecord]) -> [ResponseRecord] {
        responses.sorted { $0.sampleIndex < $1.sampleIndex }
    }

    private struct Key: Hashable {
        var model: Int64
        var testCase: Int64
    }
}
