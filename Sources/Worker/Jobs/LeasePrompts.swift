import Shared

/// The prompt text each kind of job sends, from the lease's template (the
/// sweep's override) or the project's default.
enum LeasePrompts {
    static func generation(_ lease: JobLease) throws(LeaseStop) -> String {
        try render(.generation, lease, template: lease.template)
    }

    static func mcqa(_ lease: JobLease) throws(LeaseStop) -> String {
        try render(.mcqa, lease, template: lease.template)
    }

    /// A judge's prompt; `template` is the judge's own (the fallback judge has its own).
    static func judge(_ lease: JobLease, template: String?) throws(LeaseStop) -> String {
        try render(lease.kind == .judgeSafety ? .safety : .effectiveness, lease, template: template)
    }

    /// `role`'s prompt with each of its placeholders' values from the lease. A
    /// lease without one (a coordinator that did not send the case's options,
    /// the answer to grade, …) fails the job for good, naming what is missing:
    /// never a prompt with an empty value, which the provider would answer and
    /// the report would count.
    static func render(_ role: TemplateRole, _ lease: JobLease, template: String?) throws(LeaseStop) -> String {
        var values: [Placeholder: String] = [:]
        for placeholder in role.placeholders {
            guard let value = value(of: placeholder, in: lease) else {
                throw LeaseStop(ProviderFailure(retryable: false, message: "the lease carries no \(placeholder.rawValue) for the \(role) prompt"))
            }
            values[placeholder] = value
        }
        return role.render(template, values)
    }

    static func value(of placeholder: Placeholder, in lease: JobLease) -> String? {
        switch placeholder {
        case .question: lease.testCase.question
        case .options: lease.testCase.options.map(MCQAOptions.lines)
        case .safetyWarning: lease.testCase.safetyWarning
        case .referenceAnswer: lease.testCase.referenceAnswer
        case .response: lease.response?.text
        }
    }
}
