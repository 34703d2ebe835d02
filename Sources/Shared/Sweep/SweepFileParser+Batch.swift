import Yams

/// A value read from a sweep file with the node and field it came from, so a rule applied later can point at its line.
struct Located<Value> {
    let value: Value
    let node: Node
    let field: String
}

/// The batch fields as written at one level: the top of the file (the default for every entry) or one entry.
struct BatchChoice {
    /// `batch: true|false`, when given.
    var enabled: Bool?
    /// The valid values given, in seconds, bytes or lines.
    var values: [BatchField: Located<Double>] = [:]
}

/// Batch mode in the sweep file (docs/operations.md, "Batch mode from the user's side"): `batch` and its four
/// settings at the top level and on each entry, the entry's own value winning, the provider's limits as defaults.
/// Settings on an entry whose batch is off are checked and then unused: they take effect once batch is turned on.
extension SweepReader {
    static let batchKeys = ["batch"] + BatchField.allCases.map(\.rawValue)

    /// The batch fields of `fields`, each checked against `provider`'s limits when it is known (an entry).
    func batchChoice(_ fields: YAMLFields, provider: Provider?) -> BatchChoice {
        var choice = BatchChoice(enabled: yaml.bool(fields, "batch"))
        for field in BatchField.allCases {
            let key = field.rawValue
            let value: Double? =
                switch field {
                case .maxRequests: yaml.int(fields, key).map(Double.init)
                case .maxBytes: yaml.byteCount(fields, key).map(Double.init)
                case .maxWait, .deadline: yaml.duration(fields, key)
                }
            guard let value, let node = fields[key] else { continue }
            if let problem = BatchSettings.problem(field, value, provider: provider) {
                yaml.report(node, fields.path(key), problem)
                continue
            }
            choice.values[field] = Located(value: value, node: node, field: fields.path(key))
        }
        return choice
    }

    /// An entry's settings: its own values, else the top level's, else `provider`'s defaults; `nil` when batch is off.
    /// A top-level value above this provider's limit is reported at its own line.
    func batchSettings(_ entry: BatchChoice, top: BatchChoice, provider: Provider) -> BatchSettings? {
        guard entry.enabled ?? top.enabled ?? false else { return nil }
        let defaults = BatchSettings.defaults(for: provider)
        func value(_ field: BatchField, _ fallback: Double) -> Double? {
            if let own = entry.values[field] { return own.value }
            guard let inherited = top.values[field] else { return fallback }
            if let problem = BatchSettings.problem(field, inherited.value, provider: provider) {
                yaml.report(inherited.node, inherited.field, problem)
                return nil
            }
            return inherited.value
        }
        // Every field is resolved before any is tested, so each bad one is reported.
        let requests = value(.maxRequests, Double(defaults.maxRequests))
        let bytes = value(.maxBytes, Double(defaults.maxBytes))
        let wait = value(.maxWait, defaults.maxWaitSeconds)
        let deadline = value(.deadline, defaults.deadlineSeconds)
        guard let requests, let bytes, let wait, let deadline else { return nil }
        return BatchSettings(maxRequests: Int(requests), maxBytes: Int(bytes), maxWaitSeconds: wait, deadlineSeconds: deadline)
    }
}
