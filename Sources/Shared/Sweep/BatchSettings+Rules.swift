/// The batch fields of a sweep file, by their names there.
public enum BatchField: String, Sendable, CaseIterable {
    /// Lines per batch at most.
    case maxRequests = "batch_max_requests"
    /// Bytes per batch at most.
    case maxBytes = "batch_max_bytes"
    /// How long lines gather before a partial batch is submitted.
    case maxWait = "batch_max_wait"
    /// How long a batch may take before it is cancelled and its rest runs live.
    case deadline = "batch_deadline"
}

/// The rules batch settings must follow: the one home for them, read by the sweep-file parser and
/// by the validation of definitions that arrive as JSON.
extension BatchSettings {
    /// The longest `batch_max_wait` or `batch_deadline`: a week (the providers expire a batch within two days anyway).
    public static let maxSeconds: Double = 7 * 86_400

    /// The most a provider takes in one batch, as it documents: the defaults' counts and sizes.
    public static func limits(for provider: Provider) -> (requests: Int, bytes: Int) {
        let defaults = defaults(for: provider)
        return (defaults.maxRequests, defaults.maxBytes)
    }

    /// What is wrong with `value` for `field`, phrased to follow the field name; `nil` when it is fine.
    /// Without a provider only the rules every provider shares are checked.
    public static func problem(_ field: BatchField, _ value: Double, provider: Provider?) -> String? {
        guard value.isFinite, value > 0 else { return "must be greater than 0" }
        switch field {
        case .maxRequests:
            guard let provider else { return nil }
            let limit = limits(for: provider).requests
            return value > Double(limit) ? "must be at most \(limit) for \(provider.rawValue) (its documented batch limit)" : nil
        case .maxBytes:
            guard let provider else { return nil }
            let limit = limits(for: provider).bytes
            return value > Double(limit)
                ? "must be at most \(limit) bytes (\(ByteSize.describe(limit))) for \(provider.rawValue) (its documented batch limit)" : nil
        case .maxWait, .deadline:
            return value > maxSeconds ? "must be at most \(DurationText.format(seconds: maxSeconds))" : nil
        }
    }

    /// Every problem of these settings on `provider`'s endpoint, by field.
    public func problems(for provider: Provider) -> [(field: BatchField, message: String)] {
        let values: [(BatchField, Double)] = [
            (.maxRequests, Double(maxRequests)), (.maxBytes, Double(maxBytes)), (.maxWait, maxWaitSeconds), (.deadline, deadlineSeconds),
        ]
        return values.compactMap { field, value in Self.problem(field, value, provider: provider).map { (field, $0) } }
    }
}

extension Price {
    /// What is wrong with `discount` as `price.batch_discount`; `nil` when it is a share in [0, 1).
    public static func batchDiscountProblem(_ discount: Double) -> String? {
        discount.isFinite && discount >= 0 && discount < 1 ? nil : "must be at least 0 and less than 1"
    }
}
