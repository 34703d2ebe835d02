import Shared

/// One sweep's rows as the viewer's case routes read them (``CaseSQL``), before any vote is counted.
struct CaseRows: Sendable {
    /// The sweep's name.
    var sweep: String
    /// Every model of the sweep, in sweep-file order.
    var models: [ModelRecord]
    /// The cases, in dataset order (all of them, even when only one case's responses were read).
    var cases: [CaseRow]
    /// Responses of finished generate and MCQA jobs.
    var responses: [ResponseRecord]
    /// Verdicts by response id, as shown (each names the model that gave it).
    var verdicts: [Int64: [CaseVerdict]]
    /// The known values of the verdicts, by the role of the judge job that
    /// holds them (`judge`, whose jobs the fallback judge answers within, or
    /// `second_judge`): the selection the report's `ReportSQL.verdicts` makes.
    var values: [CountedVerdict: Int]
    /// Responses some judge job still has to grade.
    var awaitingJudges: Set<Int64>
    /// Human labels by response id.
    var labels: [Int64: [HumanLabel]]
}

/// Where a verdict's value counts: its response, its kind, and the role of its judge job's model.
struct CountedVerdict: Hashable, Sendable {
    var responseID: Int64
    var kind: String
    var jobRole: ModelRole
}

/// A case as the viewer shows it.
struct CaseRow: Sendable {
    var id: Int64
    var questionID: String
    var category: String
    var question: String
    var safetyWarning: String
    var referenceAnswer: String
    var mcqaItem: JSONValue?
    var image: CaseImage
}
