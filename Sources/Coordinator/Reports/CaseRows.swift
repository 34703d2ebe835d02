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
    /// Verdicts by response id.
    var verdicts: [Int64: [CaseVerdict]]
    /// Responses some judge job still has to grade.
    var awaitingJudges: Set<Int64>
    /// Human labels by response id.
    var labels: [Int64: [HumanLabel]]
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
