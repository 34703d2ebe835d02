import Shared

/// A sweep's cases for the viewer (docs/protocol.md, "Cases"): the list with each model's votes, and one
/// case with its responses, verdicts and labels. Reads only.
public struct CaseStore: Sendable {
    let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Every case of the current sweep `name`; `SweepStoreError.notFound` for an unknown name.
    public func list(_ name: String) async throws -> CaseList {
        CaseViewBuilder.list(try await rows(name, caseID: nil, judgeTexts: false))
    }

    /// The case `questionID` of the current sweep `name`; `SweepStoreError.notFound` for an unknown
    /// sweep, `CaseStoreError.notFound` for a case the sweep does not cover.
    public func detail(_ name: String, questionID: String) async throws -> CaseDetail {
        let sweepID = try await self.sweepID(name)
        let cases = try await self.cases(sweepID)
        guard let position = cases.firstIndex(where: { $0.questionID == questionID }) else {
            throw CaseStoreError.notFound(sweep: name, questionID: questionID)
        }
        let rows = try await rows(name, sweepID: sweepID, cases: cases, caseID: cases[position].id, judgeTexts: true)
        return try CaseViewBuilder.detail(rows, position: position)
    }

    private func sweepID(_ name: String) async throws -> Int64 {
        guard let row = try await pool.query(CaseSQL.sweep, [name]).first else { throw SweepStoreError.notFound(name) }
        return try row.decode(Int64.self, "id")
    }

    private func rows(_ name: String, caseID: Int64?, judgeTexts: Bool) async throws -> CaseRows {
        let sweepID = try await self.sweepID(name)
        return try await rows(name, sweepID: sweepID, cases: try await cases(sweepID), caseID: caseID, judgeTexts: judgeTexts)
    }

    private func rows(_ name: String, sweepID: Int64, cases: [CaseRow], caseID: Int64?, judgeTexts: Bool) async throws -> CaseRows {
        let records = SweepRecordsLoader(pool: pool)
        let models = try await records.models(sweepID)
        let responses = try await records.responses(sweepID, caseID: caseID)
        var verdicts: [Int64: [CaseVerdict]] = [:]
        var values: [CountedVerdict: Int] = [:]
        for row in try await pool.query(CaseSQL.verdicts, [sweepID, caseID, judgeTexts]) {
            let responseID = try row.decode(Int64.self, "response_id")
            let verdict = CaseVerdict(
                judge: try row.decode(String.self, "judge"), role: try row.decode(ModelRole.self, "role").rawValue,
                kind: try row.decode(String.self, "kind"), value: try row.decode(Int?.self, "value"),
                label: try row.decode(String?.self, "label"), judgeText: try row.decode(String.self, "judge_text"))
            verdicts[responseID, default: []].append(verdict)
            if let value = verdict.value {
                values[CountedVerdict(responseID: responseID, kind: verdict.kind, jobRole: try row.decode(ModelRole.self, "job_role"))] = value
            }
        }
        var labels: [Int64: [HumanLabel]] = [:]
        for row in try await pool.query(CaseSQL.labels, [sweepID, caseID]) {
            let responseID = try row.decode(Int64.self, "response_id")
            labels[responseID, default: []].append(
                HumanLabel(
                    responseID: responseID, reviewer: try row.decode(String.self, "reviewer"), safe: try row.decode(Bool?.self, "safe"),
                    effectiveness: try HumanEffectiveness.stored(try row.decode(String?.self, "effectiveness")),
                    labelledAt: try row.decode(String.self, "labelled_at")))
        }
        let awaiting = Set(try await pool.query(CaseSQL.awaitingJudges, [sweepID, caseID]).map { try $0.decode(Int64.self, "response_id") })
        return CaseRows(
            sweep: name, models: models, cases: cases, responses: responses, verdicts: verdicts, values: values, awaitingJudges: awaiting,
            labels: labels)
    }

    private func cases(_ sweepID: Int64) async throws -> [CaseRow] {
        try await pool.query(CaseSQL.cases, [sweepID]).map { row in
            CaseRow(
                id: try row.decode(Int64.self, "id"), questionID: try row.decode(String.self, "question_id"),
                category: try row.decode(String.self, "category"), question: try row.decode(String.self, "question"),
                safetyWarning: try row.decode(String.self, "safety_warning"),
                referenceAnswer: try row.decode(String.self, "reference_answer"), mcqaItem: try row.decode(JSONValue?.self, "mcqa_item"),
                image: CaseImage(sha256: try row.decode(String.self, "image_sha256"), mediaType: try row.decode(String.self, "media_type")))
        }
    }
}

/// A case the sweep does not cover.
public enum CaseStoreError: Error, CustomStringConvertible, Equatable {
    /// No case with this `question_id` in the sweep.
    case notFound(sweep: String, questionID: String)

    /// What went wrong.
    public var description: String {
        switch self {
        case .notFound(let sweep, let questionID): "sweep \(sweep) has no case with question_id \(questionID)"
        }
    }
}
