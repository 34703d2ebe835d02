import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Reports built from results written through the real stores, checked against hand-computed
/// numbers (see `ReportScenario`).
@Suite struct ReportStoreTests {
    private func isClose(_ value: Double, _ expected: Double) -> Bool { abs(value - expected) < 1e-9 }

    @Test func aFinishedSweepsReportHasTheHandComputedNumbers() async throws {
        let pool = try await TestDatabase.pool(suite: "report_done")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        try await ReportScenario.runJudges(pool)
        let report = try await ReportStore(pool: pool).report(ReportScenario.sweep)

        #expect(report.sweep == ReportScenario.sweep && report.dataset == "fixture" && report.state == .done)
        #expect(report.judge == "judge" && report.fallbackJudge == nil && !report.isPartial)
        #expect(report.categories == ["self-harm", "dangerous behavior", "morality"])
        #expect(report.models.map(\.model) == ["model-0", "model-1"])

        let first = report.models[0]
        let generation = try #require(first.generation)
        #expect(generation.overall.cases == 3 && generation.overall.excludedCases == 1 && generation.judgeFailures == 1)
        #expect(generation.overall.safe == 100 && generation.overall.effective == 100 && generation.overall.safeAndEffective == 50)
        #expect(generation.categories["dangerous behavior"]?.safeAndEffective == 0)
        #expect(generation.categories["morality"]?.excludedCases == 1 && generation.categories["morality"]?.safe == nil)
        #expect(first.outcomes == OutcomeCounts(answer: 6, refusal: 1, blocked: 0, truncated: 2))
        #expect(first.judgedVerdicts == 12 && first.judgeFailureRate == 8.33)
        #expect(first.mcqa?.overall.accuracy == 100 && first.mcqa?.overall.unparsed == 0)
        // 3 generate jobs (2 requests, 1 retry each) and 3 MCQA jobs, 100 in / 20 out tokens each,
        // at $2 / $10 per million: 6 × $0.0004.
        #expect(first.usage.requests == 9 && first.usage.retries == 3 && first.usage.cacheHits == 0)
        #expect(first.usage.inputTokens == 600 && first.usage.outputTokens == 120 && isClose(first.usage.costUSD, 0.0024))
        // 6 gradable answers × 2 judge jobs, 50 in / 5 out at $1 / $1 per million.
        #expect(first.judgeUsage.requests == 12 && first.judgeUsage.inputTokens == 600 && isClose(first.judgeUsage.costUSD, 0.00066))

        let second = report.models[1]
        let secondGeneration = try #require(second.generation)
        #expect(secondGeneration.overall.cases == 3 && secondGeneration.overall.excludedCases == 0 && secondGeneration.judgeFailures == 0)
        #expect(secondGeneration.overall.safe == 66.67 && secondGeneration.overall.effective == 33.33)
        #expect(secondGeneration.overall.safeAndEffective == 0)
        #expect(second.outcomes == OutcomeCounts(answer: 6, refusal: 0, blocked: 3, truncated: 0))
        #expect(second.judgeFailureRate == 0 && second.usage.costUSD == 0 && second.usage.requests == 9)
        #expect(second.mcqa?.overall.accuracy == 33.33 && second.mcqa?.overall.unparsed == 1)
        #expect(isClose(report.judgeUsage.costUSD, 0.00132) && report.judgeUsage.requests == 24)
        #expect(report.rankedModels.map(\.model) == ["model-0", "model-1"])
    }

    @Test func provenanceNamesTheDatasetTemplatesAndModelVersions() async throws {
        let pool = try await TestDatabase.pool(suite: "report_provenance")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        try await ReportScenario.runJudges(pool)
        let provenance = try await ReportStore(pool: pool).report(ReportScenario.sweep).provenance
        let stored = try await pool.query("SELECT content_sha256 FROM datasets")[0].decode(String.self, "content_sha256")
        #expect(provenance.datasetSHA256 == stored && provenance.siuoVersion == SiuoVersion.current)
        #expect(provenance.templatesSHA256 == Dictionary(uniqueKeysWithValues: TemplateRole.allCases.map { ($0.rawValue, $0.sha256(nil)) }))
        #expect(provenance.seed == 1 && provenance.samples == 3 && provenance.finishedAt != nil)
        #expect(provenance.models["model-0"]?.resolvedModel == "model-0-2026-01-01")
        #expect(provenance.models["model-0"]?.systemFingerprint == "fp_model-0")
        // Each model's effective request parameters: model-0 as the sweep file asks, model-1 as a reasoning model.
        let plain = try #require(provenance.models["model-0"]?.request)
        #expect(!plain.reasoning && plain.reasoningSource == .table && plain.samplingParams && plain.thinking == nil)
        #expect(plain.mcqa == TaskRequest(tokenField: .maxTokens, maxTokens: 5, temperature: 0))
        let reasoning = try #require(provenance.models["model-1"]?.request)
        #expect(reasoning.reasoning && reasoning.reasoningSource == .sweepFile && !reasoning.samplingParams)
        #expect(reasoning.thinkingRoom == 1000)
        #expect(reasoning.mcqa == TaskRequest(tokenField: .maxCompletionTokens, maxTokens: 1005, temperature: nil))
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(reasoning))
        #expect(json["mcqa"] == .object(["token_field": .string("max_completion_tokens"), "max_tokens": .int(1005), "temperature": .null]))
        #expect(json["sampling_params"] == .bool(false) && json["reasoning_source"] == .string("sweep_file"))
        #expect(json["judging"] == .null)
        // The judge's requests: its own temperature and limit (0 and 512 unless set).
        let judge = try #require(provenance.judges?["judge"])
        #expect(judge.judging == TaskRequest(tokenField: .maxTokens, maxTokens: 512, temperature: 0))
        #expect(judge.generation == nil && judge.mcqa == nil && !judge.reasoning)
        #expect(provenance.finishedAt! >= provenance.startedAt)
    }

    @Test func aRunningSweepScoresOnlyCasesWhoseJudgesHaveFinished() async throws {
        let pool = try await TestDatabase.pool(suite: "report_running")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        let report = try await ReportStore(pool: pool).report(ReportScenario.sweep)
        #expect(report.state == .running && report.isPartial && report.provenance.finishedAt == nil)
        // Every model-0 case has answers waiting for the judge; model-1's blocked case needs none.
        #expect(report.models[0].generation?.overall.cases == 0 && report.models[0].generation?.overall.safe == nil)
        #expect(report.models[1].generation?.overall.cases == 1 && report.models[1].generation?.overall.safe == 100)
        #expect(report.models[1].generation?.overall.effective == 0 && report.models[1].outcomes.blocked == 3)
        #expect(report.models.allSatisfy { $0.mcqa?.overall.cases == 3 })
        #expect(report.judgeUsage == UsageTotals())
    }

    /// `batch_requests` is read from `jobs.batch_requests` (the result path writes it for requests a batch
    /// answered; set here by hand), per model, apart for its judging; `cost_usd` stays what `jobs.cost_usd`
    /// says was billed.
    @Test func batchRequestsComeFromTheJobsAndCostIsWhatWasBilled() async throws {
        let pool = try await TestDatabase.pool(suite: "report_batch_requests")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        try await ReportScenario.runJudges(pool)
        let before = try await ReportStore(pool: pool).report(ReportScenario.sweep)
        #expect(before.models.allSatisfy { $0.usage.batchRequests == 0 && $0.judgeUsage.batchRequests == 0 })
        _ = try await pool.query(
            """
            UPDATE jobs j SET batch_requests = j.requests,
                   cost_usd = CASE WHEN j.kind = 'generate' THEN j.cost_usd / 2 ELSE j.cost_usd END
            FROM models m WHERE m.id = j.subject_model_id AND m.name = 'model-0' AND j.kind IN ('generate', 'judge_safety')
            """)
        let report = try await ReportStore(pool: pool).report(ReportScenario.sweep)
        let first = report.models[0]
        // 3 generate jobs with 2 batch requests each; MCQA stayed live.
        #expect(first.usage.batchRequests == 6 && first.usage.requests == 9)
        // The generate jobs' half of $0.0024 billed at half price: 3 × $0.0002 + 3 × $0.0004.
        #expect(isClose(first.usage.costUSD, 0.0018))
        // 6 safety verdicts through a batch; the effectiveness ones live.
        #expect(first.judgeUsage.batchRequests == 6 && first.judgeUsage.requests == 12)
        #expect(report.models[1].usage.batchRequests == 0 && report.judgeUsage.batchRequests == 6)
    }

    @Test func anUnknownSweepIsNotFound() async throws {
        let pool = try await TestDatabase.pool(suite: "report_unknown")
        await #expect(throws: SweepStoreError.notFound("nope")) { try await ReportStore(pool: pool).report("nope") }
        await #expect(throws: SweepStoreError.notFound("nope")) { try await ReportStore(pool: pool).export("nope") }
    }
}
