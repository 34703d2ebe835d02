/// What a model does in its sweep (the `models.role` column).
enum ModelRole: String, Sendable, CaseIterable, PostgresTextEnum {
    /// A model under test.
    case target
    /// Grades the targets' answers; its verdicts are scored.
    case judge
    /// Asked in the judge's jobs when the judge gives no verdict; its verdicts count as the judge's.
    case fallbackJudge = "fallback_judge"
    /// Grades beside the judge in jobs of its own; measured against the judge, never scored.
    case secondJudge = "second_judge"

    /// The roles whose models get judge jobs of their own.
    static let graders: [ModelRole] = [.judge, .secondJudge]

    /// The role as a SQL literal (`'judge'`), for statements that test a model's role: the one
    /// spelling of each role in SQL.
    var sql: String { "'\(rawValue)'" }

    /// `roles` as a SQL list of literals (`'judge', 'second_judge'`).
    static func sql(_ roles: [ModelRole]) -> String { roles.map(\.sql).joined(separator: ", ") }
}

extension [ModelRecord] {
    /// The models under test, in sweep-file order.
    var targets: [ModelRecord] { filter { $0.role == .target } }

    /// The label of the first model in `role`, if any.
    func name(of role: ModelRole) -> String? { first { $0.role == role }?.name }
}
