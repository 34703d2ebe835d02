import Foundation

/// The JSON settings both ends of the coordinator API use.
public enum WireCoding {
    /// ISO 8601 dates, slashes unescaped; keys unsorted (sorting every
    /// object is a measurable cost on lease batches).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601WithFractionalSeconds
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// Reads what `encoder()` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601WithFractionalSeconds
        return decoder
    }
}

/// Built once: making a format style per date is a measurable share of a lease batch.
let fractionalISO8601 = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

extension JSONEncoder.DateEncodingStrategy {
    /// ISO 8601 with milliseconds, so lease expiries keep sub-second precision.
    static let iso8601WithFractionalSeconds = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(WireDate.format(date))
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// Reads ISO 8601 with or without fractional seconds.
    static let iso8601WithFractionalSeconds = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = WireCoding.date(from: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an ISO 8601 date")
        }
        return date
    }
}

extension WireCoding {
    /// An ISO 8601 date, with or without fractional seconds.
    static func date(from text: String) -> Date? {
        if let date = WireDate.parse(text) { return date }
        if let date = try? fractionalISO8601.parse(text) { return date }
        return try? Date(text, strategy: .iso8601)
    }
}

/// A batch route's body and answer: `{"items": [...]}`.
public struct Batch<Item: Codable & Sendable>: Codable, Sendable {
    /// The items, answered in order.
    public var items: [Item]

    /// Wraps `items`.
    public init(_ items: [Item]) {
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case items
    }
}

/// `Batch`'s one key, for writers outside the generic type.
typealias BatchKey = Batch<Int>.CodingKeys

/// A batch route's answer for one item.
public struct ItemAnswer: Codable, Sendable, Equatable {
    /// The job the item was about.
    public var jobID: Int64
    /// Whether it was written.
    public var status: ItemStatus

    /// Creates an answer.
    public init(jobID: Int64, status: ItemStatus) {
        self.jobID = jobID
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", status
    }

    /// A batch route's answer, `{"items": [...]}`, written without `JSONEncoder`.
    public static func batchJSON(_ answers: [ItemAnswer]) -> [UInt8] {
        var writer = JSONBytesWriter()
        writer.beginObject()
        writer.key(BatchKey.items)
        writer.beginArray()
        for answer in answers {
            writer.beginObject()
            writer.key(CodingKeys.jobID)
            writer.int(answer.jobID)
            writer.key(CodingKeys.status)
            writer.string(answer.status.rawValue)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}

/// `POST /v1/leases` answer.
///
/// On the wire each distinct model's settings are sent once, in `models`,
/// and leases refer to them by index: a batch of 100 leases usually has a
/// handful of models, and their settings were most of the bytes. Written by
/// `json()` (the coordinator answers every lease request with one), read
/// with `WireCoding.decoder()`.
public struct LeaseGrant: Decodable, Sendable {
    /// The jobs leased (none when the wait ran out).
    public var leases: [JobLease]

    /// Wraps `leases`.
    public init(leases: [JobLease]) {
        self.leases = leases
    }

    enum CodingKeys: String, CodingKey {
        case leases, models
    }

    /// The grant's JSON: the distinct models, then the leases with model indexes.
    public func json() throws -> [UInt8] {
        var models: [ModelSpec] = []
        func index(of model: ModelSpec) -> Int {
            if let index = models.firstIndex(of: model) { return index }
            models.append(model)
            return models.count - 1
        }
        let indexed = leases.map { ($0, index(of: $0.model), $0.fallbackModel.map(index)) }
        var writer = JSONBytesWriter()
        writer.beginObject()
        writer.key(CodingKeys.models)
        writer.beginArray()
        let encoder = WireCoding.encoder()
        for model in models { writer.json(try encoder.encode(model)) }
        writer.endArray()
        writer.key(CodingKeys.leases)
        writer.beginArray()
        for (lease, modelIndex, fallbackIndex) in indexed {
            lease.write(to: &writer, modelIndex: modelIndex, fallbackIndex: fallbackIndex)
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// Reads the models, then the leases that refer to them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let models = try container.decode([ModelSpec].self, forKey: .models)
        var list = try container.nestedUnkeyedContainer(forKey: .leases)
        var leases: [JobLease] = []
        while !list.isAtEnd {
            leases.append(try JobLease(from: try list.superDecoder(), models: models))
        }
        self.leases = leases
    }
}

/// `POST /v1/sweeps` body: a parsed, validated sweep file (paths and
/// templates resolved where the file is), whether to replace, and an
/// optional case limit.
public struct SweepSubmission: Codable, Sendable {
    /// The sweep.
    public var definition: SweepDefinition
    /// `--replace` (docs/architecture.md, "Submit").
    public var replace: Bool
    /// `--limit N`: create jobs for the first N cases only (dataset order, after
    /// the category filter); `nil` for every case. Not part of the sweep's
    /// identity: a later submission with a larger limit, or none, extends the
    /// same sweep, and a smaller one removes nothing.
    public var limit: Int?

    /// Creates a submission.
    public init(definition: SweepDefinition, replace: Bool, limit: Int? = nil) {
        self.definition = definition
        self.replace = replace
        self.limit = limit
    }

    /// Why `limit` cannot be used, or `nil` when it can (the one rule the CLI,
    /// the API and the store apply).
    public static func problem(withLimit limit: Int?) -> String? {
        guard let limit else { return nil }
        if limit < 1 { return "must be at least 1 (got \(limit)); leave it out to take every case" }
        if limit > maxLimit { return "must be at most \(maxLimit) (got \(limit)); leave it out to take every case" }
        return nil
    }

    /// The largest case limit: the most a database `integer` holds, far above any dataset.
    public static let maxLimit = Int(Int32.max)
}

/// What a submission did to the sweep of its name.
public enum SubmissionOutcome: String, Codable, Sendable {
    /// A new sweep.
    case created
    /// The same sweep, with whatever it lacked added.
    case resumed
    /// A new sweep in place of the old one, whose results are kept.
    case replaced
}

/// `POST /v1/sweeps` answer.
public struct SubmissionAnswer: Codable, Sendable, Equatable {
    /// What the submission did.
    public var outcome: SubmissionOutcome
    /// Jobs created by this submission.
    public var jobs: Int

    /// Creates an answer.
    public init(outcome: SubmissionOutcome, jobs: Int) {
        self.outcome = outcome
        self.jobs = jobs
    }
}

/// `POST /v1/releases` body.
public struct ReleaseRequest: Codable, Sendable {
    /// The leases given back.
    public var items: [LeaseReference]
    /// Do not lease them again before this (a provider's rate limit).
    public var retryAfterMilliseconds: Int?

    /// Creates a release.
    public init(items: [LeaseReference], retryAfterMilliseconds: Int? = nil) {
        self.items = items
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case items, retryAfterMilliseconds = "retry_after_ms"
    }
}

/// Every error body of the API: `{"error": "…"}`.
public struct ErrorBody: Codable, Sendable {
    /// What went wrong, naming the field where one is at fault.
    public var error: String

    /// Creates an error body.
    public init(error: String) {
        self.error = error
    }
}
