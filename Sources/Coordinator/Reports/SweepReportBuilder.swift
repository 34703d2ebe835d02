import Shared

/// Turns a sweep's records into its report, with the official arithmetic of `Shared/Scoring`.
enum SweepReportBuilder {
    /// The report of `records`; `resamples` is the bootstrap's (tests may lower it). Fails when
    /// the records hold what no import writes (`SweepRecords.mcqaResults`).
    static func build(_ records: SweepRecords, resamples: Int = Bootstrap.defaultResamples) throws -> SweepReport {
        let models = try records.targets.map { try model(of: $0, in: records, resamples: resamples) }
        var categories: [String] = []
        for testCase in records.cases where !categories.contains(testCase.category) { categories.append(testCase.category) }
        return SweepReport(
            sweep: records.name, dataset: records.dataset, state: records.state, judge: records.models.name(of: .judge),
            fallbackJudge: records.models.name(of: .fallbackJudge), categories: categories,
            provenance: provenance(records), models: models,
            judgeUsage: tidy(models.reduce(UsageTotals()) { $0 + $1.judgeUsage }),
            human: HumanReviewBuilder.build(records, resamples: resamples), judgeAgreement: JudgeAgreementBuilder.build(records))
    }

    private static func model(of model: ModelRecord, in records: SweepRecords, resamples: Int) throws -> ModelReport {
        let tasks = records.definition.tasks
        let generation = records.generationResults(of: model).enumerated().map { index, result in
            GenerationCase(
                questionID: result.testCase.numericID(fallback: index), category: result.testCase.category,
                responses: result.responses.map(records.judged))
        }
        let mcqa = try records.mcqaResults(of: model).enumerated().map { index, result in
            MCQACase(
                questionID: result.testCase.numericID(fallback: index), category: result.testCase.category,
                pred: MCQAParser.parse(result.answer.text, options: result.key.options), correct: result.key.correct)
        }
        let score = tasks.contains(.generation) ? GenerationScorer.score(generation, seed: records.seed, resamples: resamples) : nil
        // Two verdicts are due per answer the judge grades; refusals, blocks, empty answers and
        // truncations are scored without one.
        let judgedVerdicts =
            2
            * generation.reduce(0) { total, item in
                total + item.responses.count { $0.outcome == .answer && !AnswerText.isBlank($0.text) }
            }
        let usage = records.usage[model.id] ?? (UsageTotals(), UsageTotals())
        return ModelReport(
            model: model.name, generation: score,
            mcqa: tasks.contains(.mcqa) ? MCQAScorer.score(mcqa, seed: records.seed, resamples: resamples) : nil,
            outcomes: OutcomeCounts(cases: generation), judgedVerdicts: judgedVerdicts,
            judgeFailureRate: rate(score?.judgeFailures ?? 0, of: judgedVerdicts), usage: tidy(usage.own),
            judgeUsage: tidy(usage.judging))
    }

    private static func provenance(_ records: SweepRecords) -> ReportProvenance {
        let definition = records.definition
        let templates: [TemplateRole: String?] = [
            .generation: definition.prompts.generation, .mcqa: definition.prompts.mcqa,
            .safety: definition.judge?.safetyPrompt, .effectiveness: definition.judge?.effectivenessPrompt,
        ]
        let finished = records.state.isSettled
        // Judges are asked only when the sweep has generation.
        let judges = definition.tasks.contains(.generation) ? definition.judges : []
        return ReportProvenance(
            siuoVersion: SiuoVersion.current, datasetSHA256: records.datasetSHA256,
            templatesSHA256: Dictionary(uniqueKeysWithValues: templates.map { ($0.key.rawValue, $0.key.sha256($0.value)) }),
            seed: records.seed, samples: definition.samples, startedAt: records.createdAt,
            finishedAt: finished ? records.lastFinishedAt : nil,
            models: Dictionary(
                uniqueKeysWithValues: records.targets.map { model in
                    let answers = records.responses.filter { $0.modelID == model.id }
                    return (
                        model.name,
                        ModelProvenance(
                            resolvedModel: mostFrequent(answers.compactMap(\.resolvedModel)),
                            systemFingerprint: mostFrequent(answers.compactMap(\.systemFingerprint)),
                            request: definition.models.first { $0.name == model.name }.map { RequestProvenance($0) })
                    )
                }),
            judges: Dictionary(judges.map { ($0.name, RequestProvenance($0, judge: true)) }, uniquingKeysWith: { first, _ in first }))
    }

    /// `usage` with its cost rounded to a billionth of a dollar, far below any price, so that
    /// floating-point sums print as the amounts they are (0.00132, not 0.0013200000000000002).
    static func tidy(_ usage: UsageTotals) -> UsageTotals {
        var tidied = usage
        tidied.costUSD = (usage.costUSD * 1e9).rounded() / 1e9
        return tidied
    }

    /// The value seen most often, ties to the smallest so reports are stable.
    static func mostFrequent(_ values: [String]) -> String? {
        let counts = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +)
        return counts.min { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }?.key
    }

    /// `hits / count` ×100 with two decimals, as the scores are; `nil` for nothing counted.
    static func rate(_ hits: Int, of count: Int) -> Double? {
        count > 0 ? (Double(hits * 10_000) / Double(count)).rounded() / 100 : nil
    }
}
