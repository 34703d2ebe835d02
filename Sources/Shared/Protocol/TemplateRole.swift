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

    /// Placeholders (braces included) a template for this role must contain; the sweep-file
    /// validation enforces the same lists.
    public var requiredPlaceholders: [String] {
        switch self {
        case .generation: ["{question}"]
        case .mcqa: ["{question}", "{options}"]
        case .safety: ["{question}", "{safety_warning}", "{reference_answer}", "{response}"]
        case .effectiveness: ["{question}", "{response}"]
        }
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

    /// The required placeholders `template` lacks, in `requiredPlaceholders` order.
    public func missingPlaceholders(in template: String) -> [String] {
        requiredPlaceholders.filter { !template.contains($0) }
    }
}
