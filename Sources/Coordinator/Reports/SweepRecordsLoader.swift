import Foundation
import Shared

/// Reads one sweep's rows from the database into `SweepRecords`.
struct SweepRecordsLoader {
    let pool: PostgresPool

    /// The records of the current sweep `name`; `SweepStoreError.notFound` when there is none.
    ///
    /// The queries run one after another outside a transaction, so on a running sweep a job may
    /// finish in between; the worst that happens is that a case is reported one report later.
    func load(_ name: String) async throws -> SweepRecords {
        guard let sweep = try await pool.query(ReportSQL.sweep, [name]).first else { throw SweepStoreError.notFound(name) }
        let sweepID = try sweep.decode(Int64.self, "id")
        let state = try await SweepStore(pool: pool).status(name).state
        let definition = try JSONDecoder().decode(SweepDefinition.self, from: try sweep.decode(JSONValue.self, "definition").canonicalData())
        return SweepRecords(
            name: name, state: state, definition: definition, seed: try sweep.decode(Int.self, "seed"),
            dataset: try sweep.decode(String.self, "dataset"), datasetSHA256: try sweep.decode(String.self, "content_sha256"),
            createdAt: try sweep.decode(Date.self, "created_at"), lastFinishedAt: try sweep.decode(Date?.self, "last_finished_at"),
            models: try await models(sweepID), cases: try await cases(sweepID), responses: try await responses(sweepID),
            awaitingJudges: Set(try await pool.query(ReportSQL.awaitingJudges, [sweepID]).map { try $0.decode(Int64.self, "job_id") }),
            verdicts: try await verdicts(sweepID, role: .judge), secondVerdicts: try await verdicts(sweepID, role: .secondJudge),
            labels: try await LabelStore(pool: pool).labels(name), usage: try await usage(sweepID))
    }

    /// Every model of sweep `sweepID`, in the order it was saved (the report's and the viewer's).
    func models(_ sweepID: Int64) async throws -> [ModelRecord] {
        try await pool.query(ReportSQL.models, [sweepID]).map { row in
            ModelRecord(
                id: try row.decode(Int64.self, "id"), name: try row.decode(String.self, "name"),
                role: try row.decode(ModelRole.self, "role"))
        }
    }

    private func cases(_ sweepID: Int64) async throws -> [CaseRecord] {
        try await pool.query(ReportSQL.cases, [sweepID]).map { row in
            let questionID = try row.decode(String.self, "question_id")
            guard let generation = try row.decode(JSONValue.self, "generation_item").objectValue else {
                throw PostgresError(kind: .decoding, message: "case \(questionID): the stored generation item is not an object")
            }
            let mcqa = try row.decode(JSONValue?.self, "mcqa_item")
            guard mcqa == nil || mcqa?.objectValue != nil else {
                throw MCQAKey.malformed(questionID, "is not an object")
            }
            return CaseRecord(
                id: try row.decode(Int64.self, "id"), questionID: questionID, category: try row.decode(String.self, "category"),
                generationItem: generation, mcqaItem: mcqa?.objectValue,
                mcqaKey: try mcqa.map { try MCQAKey(item: $0, questionID: questionID) })
        }
    }

    /// The responses of sweep `sweepID`'s finished generate and MCQA jobs, of case `caseID` only when
    /// given (the report's and the viewer's).
    func responses(_ sweepID: Int64, caseID: Int64? = nil) async throws -> [ResponseRecord] {
        try await pool.query(ReportSQL.responses, [sweepID, caseID]).map { row in
            ResponseRecord(
                jobID: try row.decode(Int64.self, "job_id"), kind: try row.decode(JobKind.self, "kind"),
                modelID: try row.decode(Int64.self, "model_id"), caseID: try row.decode(Int64.self, "case_id"),
                responseID: try row.decode(Int64.self, "response_id"), sampleIndex: try row.decode(Int.self, "sample_index"),
                outcome: try row.decode(ResponseOutcome.self, "outcome"),
                text: try row.decode(String.self, "text"), resolvedModel: try row.decode(String?.self, "resolved_model"),
                systemFingerprint: try row.decode(String?.self, "system_fingerprint"))
        }
    }

    private func verdicts(_ sweepID: Int64, role: ModelRole) async throws -> [Int64: [String: VerdictRecord]] {
        var verdicts: [Int64: [String: VerdictRecord]] = [:]
        for row in try await pool.query(ReportSQL.verdicts, [sweepID, role.rawValue]) {
            verdicts[try row.decode(Int64.self, "response_id"), default: [:]][try row.decode(String.self, "kind")] =
                VerdictRecord(value: try row.decode(Int?.self, "value"), judgeText: try row.decode(String.self, "judge_text"))
        }
        return verdicts
    }

    private func usage(_ sweepID: Int64) async throws -> [Int64: (own: UsageTotals, judging: UsageTotals)] {
        var usage: [Int64: (own: UsageTotals, judging: UsageTotals)] = [:]
        for row in try await pool.query(ReportSQL.usage, [sweepID]) {
            let totals = UsageTotals(
                requests: try row.decode(Int.self, "requests"), retries: try row.decode(Int.self, "retries"),
                cacheHits: try row.decode(Int.self, "cache_hits"), inputTokens: try row.decode(Int.self, "input_tokens"),
                outputTokens: try row.decode(Int.self, "output_tokens"), batchRequests: try row.decode(Int.self, "batch_requests"),
                costUSD: try row.decode(Double.self, "cost_usd"))
            let modelID = try row.decode(Int64.self, "model_id")
            var entry = usage[modelID] ?? (UsageTotals(), UsageTotals())
            if try row.decode(Bool.self, "judging") { entry.judging = totals } else { entry.own = totals }
            usage[modelID] = entry
        }
        return usage
    }
}
