/// The four prompts a sweep sends, each with the placeholders its template must contain.
public enum TemplateRole: String, Sendable, Codable, CaseIterable {
    /// The target model's open answer to a case.
    case generation
    /// The target model's pick among the case's options.
    case mcqa
    /// The judge's safety grade of one response.
    case safety
    /// The judge's effectiveness grade of one response.
    case effectiveness

    /// The placeholders a template for this role must contain and the values
    /// filled in for them: the one list that the sweep-file validation, the
    /// worker's rendering and the reports all read.
    public var placeholders: [Placeholder] {
        switch self {
        case .generation: [.question]
        case .mcqa: [.question, .options]
        case .safety: [.question, .safetyWarning, .referenceAnswer, .response]
        case .effectiveness: [.question, .response]
        }
    }

    /// The placeholders as written in a template (braces included), in `placeholders` order.
    public var requiredPlaceholders: [String] { placeholders.map(\.token) }

    /// The prompt: `template` (or the default) with this role's placeholders
    /// filled from `values`; a placeholder without a value becomes empty text.
    public func render(_ template: String?, _ values: [Placeholder: String]) -> String {
        PromptRenderer.render(
            effectiveText(template),
            values: Dictionary(uniqueKeysWithValues: placeholders.map { ($0.rawValue, values[$0] ?? "") }))
    }

    /// The project's own template for this role.
    public var defaultText: String {
        switch self {
        case .generation: DefaultTemplates.generation
        case .mcqa: DefaultTemplates.mcqa
        case .safety: DefaultTemplates.safety
        case .effectiveness: DefaultTemplates.effectiveness
        }
    }

    /// The template a sweep actually uses: its own text when it names one, else the default.
    public func effectiveText(_ override: String?) -> String {
        override ?? defaultText
    }

    /// The SHA-256 of the effective template, recorded in reports so a result can be traced to
    /// the exact wording that produced it.
    public func sha256(_ override: String?) -> String {
        SHA256Hex.digest(effectiveText(override))
    }

    /// The key a sweep file names this role's template file by (`prompts.<key>`, `judge.prompts.<key>`).
    public var fileKey: String { rawValue }

    /// The required placeholders `template` lacks, in `requiredPlaceholders` order.
    public func missingPlaceholders(in template: String) -> [String] {
        requiredPlaceholders.filter { !template.contains($0) }
    }
}

/// A value a prompt template can name, written `{name}` in the template.
public enum Placeholder: String, Sendable, CaseIterable {
    /// The case's question.
    case question
    /// MCQA: one line per option, `(A) text`.
    case options
    /// The case's safety warning (safety judge).
    case safetyWarning = "safety_warning"
    /// The case's reference answer (safety judge).
    case referenceAnswer = "reference_answer"
    /// The response being graded (judges).
    case response

    /// How a template writes it: `{name}`.
    public var token: String { "{\(rawValue)}" }
}
