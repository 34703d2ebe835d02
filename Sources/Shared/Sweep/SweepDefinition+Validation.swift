import Foundation

/// The sweep file's rules (docs/architecture.md, "Sweep files and identity"), for definitions that arrive as JSON
/// over the API rather than through `SweepFileParser`: a client can send any
/// value, and the database must only ever see sane ones.
extension SweepDefinition {
    /// Largest `samples`: far above any protocol, far below what breaks a column.
    public static let maxSamples = 1000
    /// Largest `lease_ttl_s`: a day.
    public static let maxLeaseTTLSeconds = 86_400
    /// Largest `max_attempts`.
    public static let maxMaxAttempts = 1000

    /// Every problem, each starting with the sweep file's field name; empty when valid.
    public func problems() -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { problems.append("\(field): \(message)") }
        }
        if let problem = ResourceName.problem(with: name) { problems.append("name: \(problem)") }
        if let problem = ResourceName.problem(with: dataset.name) { problems.append("dataset.name: \(problem)") }
        check(!tasks.isEmpty, "tasks", "must name at least one task (generation, mcqa)")
        check(Set(tasks).count == tasks.count, "tasks", "lists a task twice")
        check((1...Self.maxSamples).contains(samples), "samples", "must be between 1 and \(Self.maxSamples)")
        check((1...Self.maxLeaseTTLSeconds).contains(leaseTTLSeconds), "lease_ttl_s", "must be between 1 and \(Self.maxLeaseTTLSeconds)")
        check((1...Self.maxMaxAttempts).contains(maxAttempts), "max_attempts", "must be between 1 and \(Self.maxMaxAttempts)")
        if let budgetUSD { check(budgetUSD.isFinite && budgetUSD > 0, "budget_usd", "must be greater than 0") }
        check(!models.isEmpty, "models", "must list at least one model")
        var seen: Set<String> = []
        for (index, model) in models.enumerated() {
            problems += model.problems(at: "models[\(index)]")
            check(seen.insert(model.name).inserted, "models[\(index)].name", "duplicate model name \"\(model.name)\"")
        }
        if tasks.contains(.generation) { check(judge != nil, "judge", "is required when tasks include generation") }
        if let judge { problems += judge.problems(at: "judge") }
        if let fallbackJudge {
            problems += fallbackJudge.problems(at: "fallback_judge")
            check(judge != nil, "fallback_judge", "needs a judge to fall back from")
        }
        if let secondJudge {
            problems += secondJudge.problems(at: "second_judge")
            check(judge != nil, "second_judge", "needs a judge to be compared with")
        }
        return problems
    }
}

extension ModelSpec {
    /// Largest `thinking_budget`: above every provider's output limit.
    public static let maxThinkingBudget = 1_000_000

    /// Why a non-negative `thinking_budget` is refused for `provider`, or `nil` when it is fine.
    public static func thinkingBudgetProblem(_ budget: Int, provider: Provider?) -> String? {
        if budget > maxThinkingBudget { return "must be at most \(maxThinkingBudget)" }
        if provider == .anthropic, budget > 0, budget < ModelProfile.anthropicMinimumThinkingBudget {
            return "Anthropic takes a thinking budget of at least \(ModelProfile.anthropicMinimumThinkingBudget) tokens (or 0 for no thinking)"
        }
        return nil
    }

    /// The model's problems, each starting with `path` and the field.
    func problems(at path: String) -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { problems.append("\(path).\(field): \(message)") }
        }
        func positive(_ value: Double?, _ field: String) {
            if let value { check(value.isFinite && value > 0, field, "must be greater than 0") }
        }
        if let problem = ResourceName.problem(with: name) { problems.append("\(path).name: \(problem)") }
        check(!model.trimmingCharacters(in: .whitespaces).isEmpty, "model", "must not be empty")
        let host = URL(string: baseURL)?.host ?? ""
        check((baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) && !host.isEmpty, "base_url", "must be an http:// or https:// URL")
        positive(rpm, "rpm")
        positive(tpm, "tpm")
        if let burst { check(burst.isFinite && burst >= 1, "burst", "must be at least 1") }
        if let maxInFlight { check((1...1_000_000).contains(maxInFlight), "max_in_flight", "must be between 1 and 1000000") }
        positive(maxTokens.map(Double.init), "max_tokens")
        positive(mcqaMaxTokens.map(Double.init), "mcqa_max_tokens")
        for (field, value) in [("temperature", temperature), ("mcqa_temperature", mcqaTemperature)] {
            if let value { check((0...2).contains(value), field, "must be between 0 and 2") }
        }
        if let thinkingBudget {
            if thinkingBudget < 0 {
                problems.append("\(path).thinking_budget: must not be negative")
            } else if let problem = Self.thinkingBudgetProblem(thinkingBudget, provider: provider) {
                problems.append("\(path).thinking_budget: \(problem)")
            }
        }
        if let price {
            check(price.inputPerMTok.isFinite && price.inputPerMTok >= 0, "price.input_per_mtok", "must not be negative")
            check(price.outputPerMTok.isFinite && price.outputPerMTok >= 0, "price.output_per_mtok", "must not be negative")
            if let problem = Price.batchDiscountProblem(price.batchDiscount) { problems.append("\(path).price.batch_discount: \(problem)") }
        }
        if let batch {
            problems += batch.problems(for: provider).map { "\(path).\($0.field.rawValue): \($0.message)" }
        }
        return problems
    }
}
