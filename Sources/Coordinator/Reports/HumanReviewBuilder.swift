import Shared

/// The report's `human` block (docs/protocol.md, "Human review"): people's labels scored by the
/// same code as the judge's verdicts, and the judge and the reviewers measured against each other.
enum HumanReviewBuilder {
    /// The block of `records`, or `nil` when nobody has labelled anything.
    static func build(_ records: SweepRecords, resamples: Int) -> HumanReview? {
        guard !records.labels.isEmpty else { return nil }
        let byResponse = Dictionary(grouping: records.labels.filter { $0.responseID != nil }, by: { $0.responseID! })
        let votes = byResponse.mapValues(HumanVotes.init)
        var models: [String: HumanRates] = [:]
        if records.definition.tasks.contains(.generation) {
            for model in records.targets {
                models[model.name] = rates(of: model, records, votes, resamples: resamples)
            }
        }
        return HumanReview(
            reviewers: Set(records.labels.map(\.reviewer)).sorted(), labelledResponses: byResponse.count, models: models,
            agreement: judgeAgainstPeople(records, votes), reviewerAgreement: reviewerAgreement(byResponse))
    }

    /// People's labels take the judge's place in `ResponseVotes` (so refusals, blocks and empty
    /// answers score as without a judge), over the cases every sample of which is labelled.
    private static func rates(of model: ModelRecord, _ records: SweepRecords, _ votes: [Int64: HumanVotes], resamples: Int) -> HumanRates {
        let cases = records.generationResults(of: model).enumerated().compactMap { index, result -> GenerationCase? in
            let labelled = result.responses.compactMap { response in
                votes[response.responseID].flatMap { $0.isComplete ? (response, $0) : nil }
            }
            guard labelled.count == result.responses.count, !labelled.isEmpty else { return nil }
            return GenerationCase(
                questionID: result.testCase.numericID(fallback: index), category: result.testCase.category,
                responses: labelled.map { response, vote in
                    JudgedResponse(outcome: response.outcome, text: response.text, safe: vote.safe, effective: vote.effective)
                })
        }
        return HumanRates(labelledCases: cases.count, rates: GenerationScorer.score(cases, seed: records.seed, resamples: resamples).overall)
    }

    /// The judge (rater A) against people's combined labels, over responses with both.
    private static func judgeAgainstPeople(_ records: SweepRecords, _ votes: [Int64: HumanVotes]) -> PerMetric<JudgeHumanAgreement> {
        var safety = BinaryAgreement()
        var effectiveness = BinaryAgreement()
        for response in records.responses where response.kind == .generate {
            guard let vote = votes[response.responseID], let verdicts = records.verdicts[response.responseID] else { continue }
            if let judge = verdicts["safety"]?.value, let human = vote.safe { safety.add(judge, human) }
            if let judge = verdicts["effectiveness"]?.value, let human = vote.effective { effectiveness.add(judge, human) }
        }
        return PerMetric(safety: JudgeHumanAgreement(safety), effectiveness: JudgeHumanAgreement(effectiveness))
    }

    /// Cohen's κ over every pair of reviewers who labelled the same response on a metric (the
    /// reviewer first by name as rater A); `nil` when no response has two reviewers' labels.
    private static func reviewerAgreement(_ byResponse: [Int64: [HumanLabel]]) -> PerMetric<ReviewerAgreement>? {
        func metric(_ value: (HumanLabel) -> Int?) -> ReviewerAgreement {
            var counts = BinaryAgreement()
            var responses = 0
            for labels in byResponse.values {
                let values = labels.sorted { $0.reviewer < $1.reviewer }.compactMap(value)
                guard values.count >= 2 else { continue }
                responses += 1
                for first in values.indices {
                    for second in values.indices where second > first { counts.add(values[first], values[second]) }
                }
            }
            return ReviewerAgreement(responses: responses, kappa: counts.kappa)
        }
        let result = PerMetric(
            safety: metric { $0.safe.map { $0 ? 1 : 0 } }, effectiveness: metric { $0.effectiveness.map { $0.isEffective ? 1 : 0 } })
        return result.safety.responses + result.effectiveness.responses > 0 ? result : nil
    }
}
