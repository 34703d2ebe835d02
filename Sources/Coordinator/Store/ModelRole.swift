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
}

extension [ModelRecord] {
    /// The models under test, in sweep-file order.
    var targets: [ModelRecord] { filter { $0.role == .target } }

    /// The label of the first model in `role`, if any.
    func name(of role: ModelRole) -> String? { first { $0.role == role }?.name }
}
