/// What makes a sweep the same sweep on resubmit (docs/architecture.md, "Sweep files and identity").
/// Operational fields (rpm, tpm, burst, max_in_flight, budget_usd, api_key_env, price, lease_ttl_s,
/// max_attempts, batch and its settings) are left out on purpose: they may change while a sweep runs
/// (a batch line's body is the live request's, so the answers do not depend on the way they are asked). Dataset file paths are
/// left out too: they only locate files to import, and the dataset itself is identified by its name.
extension SweepDefinition {
    /// Field paths whose change would make `self` a different sweep from `previous` (empty: it resumes).
    /// Added models are not listed (they append jobs); a removed model is listed as
    /// `models.NAME (removed)` and a changed one as e.g. `models.gpt-4o.temperature`.
    public func identityDifferences(from previous: SweepDefinition) -> [String] {
        var differences = Self.changed(identityFields, previous.identityFields, prefix: "")
        let current = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for earlier in previous.models {
            guard let model = current[earlier.name] else {
                differences.append("models.\(earlier.name) (removed)")
                continue
            }
            differences += Self.changed(model.identityFields, earlier.identityFields, prefix: "models.\(earlier.name).")
        }
        differences += Self.roleChanges("judge", judge, previous.judge)
        differences += Self.roleChanges("fallback_judge", fallbackJudge, previous.fallbackJudge)
        differences += Self.roleChanges("second_judge", secondJudge, previous.secondJudge)
        return differences
    }

    /// The models in `self` that `previous` does not have (by name), in file order.
    public func addedModels(since previous: SweepDefinition) -> [ModelSpec] {
        let earlier = Set(previous.models.map(\.name))
        return models.filter { !earlier.contains($0.name) }
    }

    /// SHA-256 hex over a canonical encoding of the identity fields only: operational fields are
    /// excluded and model order does not matter, so the digest is stable across runs and reorderings.
    public var identitySHA256: String {
        var document = Dictionary(uniqueKeysWithValues: identityFields)
        // A version lets a later change of this encoding be told apart from a changed sweep.
        document["identity_version"] = .int(1)
        document["models"] = .object(Dictionary(models.map { ($0.name, $0.identityObject) }, uniquingKeysWith: { first, _ in first }))
        document["judge"] = judge.map { .object(["name": .string($0.name), "spec": $0.identityObject]) } ?? .null
        document["fallback_judge"] = fallbackJudge.map { .object(["name": .string($0.name), "spec": $0.identityObject]) } ?? .null
        // Added later: left out while unset, so earlier sweeps keep their digest.
        if let secondJudge { document["second_judge"] = .object(["name": .string(secondJudge.name), "spec": secondJudge.identityObject]) }
        return SHA256Hex.digest(JSONValue.object(document).canonicalData())
    }

    /// Top-level identity fields; tasks and categories are sets, so they are compared sorted.
    private var identityFields: [(String, JSONValue)] {
        [
            ("name", .string(name)),
            ("dataset.name", .string(dataset.name)),
            ("tasks", .array(tasks.map(\.rawValue).sorted().map(JSONValue.string))),
            ("samples", .int(Int64(samples))),
            ("categories", .array(categories.sorted().map(JSONValue.string))),
            ("seed", .int(Int64(seed))),
            ("cache", .bool(cache)),
            ("cache_namespace", .string(cacheNamespace)),
            ("prompts.generation", .optional(prompts.generation)),
            ("prompts.mcqa", .optional(prompts.mcqa)),
        ]
    }

    private static func roleChanges(_ role: String, _ current: ModelSpec?, _ previous: ModelSpec?) -> [String] {
        switch (current, previous) {
        case (nil, nil): return []
        case (.some, nil): return ["\(role) (added)"]
        case (nil, .some): return ["\(role) (removed)"]
        case let (current?, previous?):
            return (current.name == previous.name ? [] : ["\(role).name"])
                + changed(current.identityFields, previous.identityFields, prefix: "\(role).")
        }
    }

    private static func changed(_ current: [(String, JSONValue)], _ previous: [(String, JSONValue)], prefix: String) -> [String] {
        zip(current, previous).filter { $0.1 != $1.1 }.map { prefix + $0.0.0 }
    }
}

extension ModelSpec {
    /// The fields that decide what a request asks, in a fixed order; the name is the caller's key.
    fileprivate var identityFields: [(String, JSONValue)] {
        [
            ("provider", .string(provider.rawValue)),
            ("model", .string(model)),
            ("base_url", .string(baseURL)),
            ("temperature", .optional(temperature)),
            ("max_tokens", .optional(maxTokens.map(Int64.init))),
            ("mcqa_temperature", .optional(mcqaTemperature)),
            ("mcqa_max_tokens", .optional(mcqaMaxTokens.map(Int64.init))),
            ("multi_sample", .bool(multiSample)),
            ("params", JSONValue.object(params).numbersNormalized),
            ("reasoning", reasoning.map(JSONValue.bool) ?? .null),
            ("thinking_budget", .optional(thinkingBudget.map(Int64.init))),
            ("safety_prompt", .optional(safetyPrompt)),
            ("effectiveness_prompt", .optional(effectivenessPrompt)),
        ]
    }

    /// The digest's object: fields added after the encoding was fixed (`reasoning`,
    /// `thinking_budget`) are left out while unset, so earlier sweeps keep their digest.
    fileprivate var identityObject: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: identityFields.filter { !(Self.laterFields.contains($0.0) && $0.1 == .null) }))
    }

    private static let laterFields: Set<String> = ["reasoning", "thinking_budget"]
}

extension JSONValue {
    /// Whole doubles as integers: `1.0` and `1` send the same JSON, and a stored definition read back
    /// from JSON has lost the difference, so identity must not see one.
    fileprivate var numbersNormalized: JSONValue {
        switch self {
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: .int(Int64(value))
        case .array(let elements): .array(elements.map(\.numbersNormalized))
        case .object(let members): .object(members.mapValues(\.numbersNormalized))
        default: self
        }
    }

    fileprivate static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    fileprivate static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }
    fileprivate static func optional(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
}
