import Shared

/// Reads configuration fields out of a parsed JSON document, refusing unknown
/// keys so a misspelt setting fails loudly instead of being ignored.
struct MockConfigReader {
    let file: String

    static let modelFields = [
        "role", "weights", "effectiveness", "mcqa_accuracy", "mcqa_unparseable", "unparseable",
        "refusal", "garbage_first", "max_choices", "latency_ms", "rpm", "tpm", "burst", "limit_slack",
        "faults", "hang_s", "batch_delay_s", "batch_line_errors", "batch_expiry", "batch_queue_limit",
    ]

    func fail(_ field: String, _ message: String) -> MockConfigError {
        MockConfigError(file: file, field: field, message: message)
    }

    /// The members of an object; `known: nil` accepts any key.
    func object(_ value: JSONValue, at path: String, known: [String]?) throws -> [String: JSONValue] {
        guard let members = value.objectValue else { throw fail(path, "must be an object") }
        if let known, let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(join(path, unknown), "unknown field (known: \(known.joined(separator: ", ")))")
        }
        return members
    }

    func number(_ value: JSONValue, at path: String, in range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude) throws -> Double {
        let number: Double
        switch value {
        case .int(let int): number = Double(int)
        case .double(let double): number = double
        default: throw fail(path, "must be a number")
        }
        guard range.contains(number) else { throw fail(path, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return number
    }

    func probability(_ value: JSONValue, at path: String) throws -> Double {
        try number(value, at: path, in: 0...1)
    }

    func integer(_ value: JSONValue, at path: String, minimum: Int) throws -> Int {
        guard case .int(let int) = value, int >= minimum else { throw fail(path, "must be an integer ≥ \(minimum)") }
        return Int(int)
    }

    /// A map from enum case names to non-negative numbers.
    func weights<Key: RawRepresentable & CaseIterable & Hashable>(_ value: JSONValue, at path: String, of: Key.Type) throws -> [Key: Double]
    where Key.RawValue == String {
        let known = Key.allCases.map(\.rawValue)
        var result: [Key: Double] = [:]
        for (name, weight) in try object(value, at: path, known: known) {
            result[Key(rawValue: name)!] = try number(weight, at: join(path, name))
        }
        return result
    }

    /// `base` with the fields present in `fields` replaced.
    func profile(_ fields: [String: JSONValue], at path: String, over base: MockModelProfile) throws -> MockModelProfile {
        var profile = base
        for (key, value) in fields where key != "models" {
            let field = join(path, key)
            switch key {
            case "role":
                guard let name = value.stringValue, let role = MockRole(rawValue: name) else { throw fail(field, "must be \"target\" or \"judge\"") }
                profile.role = role
            case "weights":
                profile.weights = try weights(value, at: field, of: MockTargetClass.self)
                if profile.weights.values.reduce(0, +) <= 0 { throw fail(field, "needs at least one positive weight") }
            case "effectiveness":
                profile.effectiveness = try weights(value, at: field, of: MockEffectiveness.self)
                if profile.effectiveness.values.reduce(0, +) <= 0 { throw fail(field, "needs at least one positive weight") }
            case "mcqa_accuracy": profile.mcqaAccuracy = try probability(value, at: field)
            case "mcqa_unparseable": profile.mcqaUnparseable = try probability(value, at: field)
            case "unparseable": profile.unparseable = try probability(value, at: field)
            case "refusal": profile.refusal = try probability(value, at: field)
            case "garbage_first": profile.garbageFirst = try integer(value, at: field, minimum: 0)
            case "max_choices": profile.maxChoices = try integer(value, at: field, minimum: 1)
            case "latency_ms":
                let latency = try object(value, at: field, known: ["mean", "jitter"])
                profile.latency = MockLatency(
                    meanMs: try latency["mean"].map { try number($0, at: join(field, "mean")) } ?? 0,
                    jitterMs: try latency["jitter"].map { try number($0, at: join(field, "jitter")) } ?? 0)
            case "rpm": profile.rpm = value == .null ? nil : try number(value, at: field, in: 0.001...Double.greatestFiniteMagnitude)
            case "tpm": profile.tpm = value == .null ? nil : try number(value, at: field, in: 1...Double.greatestFiniteMagnitude)
            case "burst": profile.burst = value == .null ? nil : try number(value, at: field, in: 1...Double.greatestFiniteMagnitude)
            case "limit_slack": profile.limitSlack = try number(value, at: field)
            case "faults":
                // Per kind, so a model can change one rate and keep the global others.
                for (kind, rate) in try weights(value, at: field, of: MockFault.self) {
                    guard rate <= 1 else { throw fail(join(field, kind.rawValue), "must be between 0 and 1") }
                    profile.faults[kind] = rate
                }
            case "hang_s": profile.hangSeconds = try number(value, at: field)
            case "batch_delay_s": profile.batchDelaySeconds = try number(value, at: field)
            case "batch_line_errors": profile.batchLineErrors = try probability(value, at: field)
            case "batch_expiry":
                guard let name = value.stringValue, let expiry = MockBatchExpiry(rawValue: name) else {
                    throw fail(field, "must be \"none\", \"unanswered\" or \"half\"")
                }
                profile.batchExpiry = expiry
            case "batch_queue_limit": profile.batchQueueLimit = value == .null ? nil : try integer(value, at: field, minimum: 1)
            default: break
            }
        }
        return profile
    }

    private func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
