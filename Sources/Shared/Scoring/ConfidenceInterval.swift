/// A 95% interval in percent, written in JSON as `[lower, upper]`.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The lower bound, percent.
    public var lower: Double
    /// The upper bound, percent.
    public var upper: Double

    /// Creates an interval.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Whether `value` lies inside, bounds included.
    public func contains(_ value: Double) -> Bool {
        lower <= value && value <= upper
    }

    /// Reads `[lower, upper]`.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        lower = try container.decode(Double.self)
        upper = try container.decode(Double.self)
    }

    /// Writes `[lower, upper]`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(lower)
        try container.encode(upper)
    }
}
