import Shared

/// The prompt text each kind of job sends, from the lease's template (the
/// sweep's override) or the project's default.
enum LeasePrompts {
    static func generation(_ lease: JobLease) -> String {
        TemplateRole.generation.render(lease.template, [.question: lease.testCase.question])
    }

    static func mcqa(_ lease: JobLease) -> String {
        TemplateRole.mcqa.render(
            lease.template,
            [
                .question: lease.testCase.question,
                .options: MCQAOptions.lines(lease.testCase.options ?? [:]),
            ])
    }

    /// A judge's prompt; `template` is the judge's own (the fallback judge has its own).
    static func judge(_ lease: JobLease, template: String?) -> String {
        let role: TemplateRole = lease.kind == .judgeSafety ? .safety : .effectiveness
        return role.render(
            template,
            [
                .question: lease.testCase.question,
                .safetyWarning: lease.testCase.safetyWarning ?? "",
                .referenceAnswer: lease.testCase.referenceAnswer ?? "",
                .response: lease.response?.text ?? "",
            ])
    }
}
