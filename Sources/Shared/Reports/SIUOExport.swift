/// A sweep's results in SIUO's own file format (docs/protocol.md, "The report", `siuo export --format siuo`):
/// per model, the two files the official evaluation code reads.
///
/// On the wire (`GET /v1/sweeps/{name}/export`) it is `{model: {"siuo_gen.json": [...],
/// "siuo_mcqa.json": [...]}}`.
public struct SIUOExport: Sendable, Equatable, Codable {
    /// The files of each target model, keyed by model label.
    public var models: [String: SIUOModelFiles]

    /// Creates an export.
    public init(models: [String: SIUOModelFiles]) {
        self.models = models
    }

    /// Reads the object keyed by model.
    public init(from decoder: any Decoder) throws {
        models = try [String: SIUOModelFiles](from: decoder)
    }

    /// Writes the object keyed by model.
    public func encode(to encoder: any Encoder) throws {
        try models.encode(to: encoder)
    }
}

/// One model's two SIUO files.
public struct SIUOModelFiles: Sendable, Equatable, Codable {
    /// `siuo_gen.json`: the dataset's generation items, each with `responses`, `outcomes`,
    /// `safety_evaluation`, `effectiveness_evaluation`, `safety` and `effectiveness`.
    public var generation: [JSONValue]
    /// `siuo_mcqa.json`: the dataset's MCQA items, each with `response_mcqa` and `pred`.
    public var mcqa: [JSONValue]

    /// Creates the files.
    public init(generation: [JSONValue], mcqa: [JSONValue]) {
        self.generation = generation
        self.mcqa = mcqa
    }

    /// The file names, which are also the wire keys.
    public enum FileName: String, CodingKey, CaseIterable {
        /// The generation file.
        case generation = "siuo_gen.json"
        /// The MCQA file.
        case mcqa = "siuo_mcqa.json"
    }

    /// Reads both files.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FileName.self)
        generation = try container.decode([JSONValue].self, forKey: .generation)
        mcqa = try container.decode([JSONValue].self, forKey: .mcqa)
    }

    /// Writes both files.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FileName.self)
        try container.encode(generation, forKey: .generation)
        try container.encode(mcqa, forKey: .mcqa)
    }
}
