import Foundation
import Shared

/// One sweep's rows as the report and export read them, before any scoring.
struct SweepRecords: Sendable {
    /// The sweep's name.
    var name: String
    /// Where the sweep is, as its status says.
    var state: SweepState
    /// The definition as submitted (latest operational fields).
    var definition: SweepDefinition
    /// The sweep's seed.
    var seed: Int
    /// The dataset's name and content hash.
    var dataset: String
    var datasetSHA256: String
    /// When the sweep was created and when its last job finished.
    var createdAt: Date
    var lastFinishedAt: Date?
    /// Every model of the sweep, in the order it was saved (sweep-file order).
    var models: [ModelRecord]
    /// The cases the sweep covers, in dataset order.
    var cases: [CaseRecord]
    /// Responses of finished generate and MCQA jobs.
    var responses: [ResponseRecord]
    /// Generate jobs whose judge's judge jobs have not ended yet (queued, leased or waiting for a batch).
    var awaitingJudges: Set<Int64>
    /// The judge's verdicts (the only ones the score reads) by response id and kind (`safety`, `effectiveness`).
    var verdicts: [Int64: [String: VerdictRecord]]
    /// The second judge's verdicts, as `verdicts`; empty without a second judge.
    var secondVerdicts: [Int64: [String: VerdictRecord]] = [:]
    /// People's labels on the sweep's responses.
    var labels: [HumanLabel] = []
    /// Usage by model id: its own calls and the judge calls about it.
    var usage: [Int64: (own: UsageTotals, judging: UsageTotals)]
}

/// A model of the sweep in its role.
struct ModelRecord: Sendable {
    var id: Int64
    var name: String
    var role: ModelRole
}

/// A case with the dataset's items as imported.
struct CaseRecord: Sendable {
    var id: Int64
    var questionID: String
    var category: String
    /// The imported generation item (an object).
    var generationItem: [String: JSONValue]
    /// The imported MCQA item (an object), for a dataset with MCQA.
    var mcqaItem: [String: JSONValue]?
    /// What `mcqaItem` says the answer is.
    var mcqaKey: MCQAKey?
}

/// One stored response.
struct ResponseRecord: Sendable {
    var jobID: Int64
    var kind: JobKind
    var modelID: Int64
    var caseID: Int64
    var responseID: Int64
    var sampleIndex: Int
    var outcome: ResponseOutcome
    var text: String
    var resolvedModel: String?
    var systemFingerprint: String?
}

/// What a judge said of one response.
struct VerdictRecord: Sendable {
    /// 1, 0, or `nil` for a judge failure.
    var value: Int?
    var judgeText: String
}
