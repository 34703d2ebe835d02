import Foundation

/// `POST /v1/batches/lease`: a worker asks for one piece of batch work on the
/// endpoints whose keys it holds (docs/architecture.md, "Batch mode").
public struct BatchLeaseRequest: Sendable, Codable, Equatable {
    /// The worker's id.
    public var workerID: String
    /// Endpoints the worker can call.
    public var endpoints: [EndpointKey]

    /// Creates a request.
    public init(workerID: String, endpoints: [EndpointKey]) {
        self.workerID = workerID
        self.endpoints = endpoints
    }

    enum CodingKeys: String, CodingKey {
        case workerID = "worker_id", endpoints
    }
}

/// The answer to a `BatchLeaseRequest`: a task, or none.
public struct BatchLeaseGrant: Sendable, Codable, Equatable {
    /// The task, when there was one.
    public var task: BatchTask?

    /// Creates a grant.
    public init(task: BatchTask?) {
        self.task = task
    }
}

/// What a worker is asked to do with a batch.
public enum BatchAction: String, Sendable, Codable {
    /// Send the lines to the provider (after searching for an earlier submission when `searchFirst`).
    case submit
    /// Ask the provider where the batch stands.
    case poll
    /// The batch is past its deadline: cancel it at the provider, then report its progress.
    case cancel
    /// The batch has ended: read every line's outcome and report them.
    case collect
}

/// One batch, leased to one worker for one action; every report about it is
/// fenced by `leaseToken`.
public struct BatchTask: Sendable, Codable, Equatable {
    /// The coordinator's id for the batch.
    public var batchID: Int64
    /// Fences the worker's reports.
    public var leaseToken: UUID
    /// What to do.
    public var action: BatchAction
    /// The model whose requests the batch holds (no secrets).
    public var model: ModelSpec
    /// The tag the provider keeps with the batch where it can (OpenAI metadata, Gemini display name).
    public var tag: String
    /// The provider's id, once known.
    public var providerBatchID: String?
    /// Submit only: an earlier submission may have reached the provider; look for it before sending.
    public var searchFirst: Bool
    /// Submit only: the batch is past its deadline; if the search finds nothing, report `missing` instead of sending.
    public var abandonIfMissing: Bool
    /// When the batch was formed (the search looks at provider batches created after it).
    public var createdAt: Date
    /// Provider batch ids the coordinator knows already (the search skips them).
    public var knownProviderBatchIDs: [String]
    /// The size cap, bytes.
    public var maxBytes: Int
    /// Submit only: the lines, in order.
    public var lines: [BatchTaskLine]
    /// The lease's life in seconds; the worker renews it every third of that while it works.
    public var leaseSeconds: Int

    /// Creates a task.
    public init(
        batchID: Int64, leaseToken: UUID, action: BatchAction, model: ModelSpec, tag: String, providerBatchID: String?,
        searchFirst: Bool = false, abandonIfMissing: Bool = false, createdAt: Date, knownProviderBatchIDs: [String] = [],
        maxBytes: Int, lines: [BatchTaskLine] = [], leaseSeconds: Int = 30
    ) {
        self.batchID = batchID
        self.leaseToken = leaseToken
        self.action = action
        self.model = model
        self.tag = tag
        self.providerBatchID = providerBatchID
        self.searchFirst = searchFirst
        self.abandonIfMissing = abandonIfMissing
        self.createdAt = createdAt
        self.knownProviderBatchIDs = knownProviderBatchIDs
        self.maxBytes = maxBytes
        self.lines = lines
        self.leaseSeconds = leaseSeconds
    }

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", leaseToken = "lease_token", action, model, tag, providerBatchID = "provider_batch_id"
        case searchFirst = "search_first", abandonIfMissing = "abandon_if_missing", createdAt = "created_at"
        case knownProviderBatchIDs = "known_provider_batch_ids", maxBytes = "max_bytes", lines, leaseSeconds = "lease_s"
    }
}

/// One line to submit: its `custom_id`, the call's parts and the case image to fetch.
public struct BatchTaskLine: Sendable, Codable, Equatable {
    /// `j<job id>-s<first sample index>`.
    public var customID: String
    /// The request's parts.
    public var call: DeferredCall
    /// The case image (`GET /v1/images/{sha256}`).
    public var imageSHA256: String
    /// Its media type.
    public var imageMediaType: String

    /// Creates a line.
    public init(customID: String, call: DeferredCall, imageSHA256: String, imageMediaType: String) {
        self.customID = customID
        self.call = call
        self.imageSHA256 = imageSHA256
        self.imageMediaType = imageMediaType
    }

    enum CodingKeys: String, CodingKey {
        case customID = "custom_id", call, imageSHA256 = "image_sha256", imageMediaType = "image_media_type"
    }
}

/// `POST /v1/batches/{id}/report`: what came of a batch task.
public struct BatchReport: Sendable, Codable, Equatable {
    /// The task's lease.
    public var leaseToken: UUID
    /// What happened.
    public var outcome: BatchOutcome

    /// Creates a report.
    public init(leaseToken: UUID, outcome: BatchOutcome) {
        self.leaseToken = leaseToken
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case leaseToken = "lease_token", outcome
    }
}

/// Provider batch states, as a worker reports them in `BatchOutcome.progress`.
public enum ProviderBatchState {
    /// The provider failed the whole batch after creating it (OpenAI `failed`, Gemini
    /// `BATCH_STATE_FAILED`): it ran no line. Each is also an ended state of its provider's
    /// batch client.
    public static let failedWhole: Set<String> = ["failed", "BATCH_STATE_FAILED"]
}

/// What came of a batch task.
public enum BatchOutcome: Sendable, Codable, Equatable {
    /// The provider holds the batch (sent now, or found from an earlier try); `included` lists the lines it holds.
    case submitted(providerBatchID: String, included: [String])
    /// The search found no earlier submission and the batch is past its deadline: its lines run live.
    case missing
    /// The provider refused the batch for good (nothing was created): its lines run live.
    case refused(error: String)
    /// Where the batch stands at the provider.
    case progress(ended: Bool, providerState: String, done: Int, failed: Int, total: Int, cancelRequested: Bool)
    /// Some lines' outcomes; `final` closes the batch (lines not reported by then come back unanswered).
    case lines([BatchLineReport], final: Bool)
    /// The task could not be done now (the provider or the network failed, or its queue is full): try again after the delay.
    case retryLater(error: String, retryAfterMilliseconds: Int?)

    private enum Kind: String, Codable {
        case submitted, missing, refused, progress, lines, retryLater = "retry_later"
    }

    enum CodingKeys: String, CodingKey {
        case kind, providerBatchID = "provider_batch_id", included, error, ended, providerState = "provider_state", done, failed, total
        case cancelRequested = "cancel_requested", lines, final, retryAfterMilliseconds = "retry_after_ms"
    }

    /// Reads an outcome by its `kind`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .submitted:
            self = .submitted(
                providerBatchID: try container.decode(String.self, forKey: .providerBatchID),
                included: try container.decode([String].self, forKey: .included))
        case .missing: self = .missing
        case .refused: self = .refused(error: try container.decode(String.self, forKey: .error))
        case .progress:
            self = .progress(
                ended: try container.decode(Bool.self, forKey: .ended), providerState: try container.decode(String.self, forKey: .providerState),
                done: try container.decode(Int.self, forKey: .done), failed: try container.decode(Int.self, forKey: .failed),
                total: try container.decode(Int.self, forKey: .total),
                cancelRequested: try container.decodeIfPresent(Bool.self, forKey: .cancelRequested) ?? false)
        case .lines:
            self = .lines(try container.decode([BatchLineReport].self, forKey: .lines), final: try container.decode(Bool.self, forKey: .final))
        case .retryLater:
            self = .retryLater(
                error: try container.decode(String.self, forKey: .error),
                retryAfterMilliseconds: try container.decodeIfPresent(Int.self, forKey: .retryAfterMilliseconds))
        }
    }

    /// Writes an outcome with its `kind`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .submitted(let id, let included):
            try container.encode(Kind.submitted, forKey: .kind)
            try container.encode(id, forKey: .providerBatchID)
            try container.encode(included, forKey: .included)
        case .missing:
            try container.encode(Kind.missing, forKey: .kind)
        case .refused(let error):
            try container.encode(Kind.refused, forKey: .kind)
            try container.encode(error, forKey: .error)
        case .progress(let ended, let state, let done, let failed, let total, let cancelRequested):
            try container.encode(Kind.progress, forKey: .kind)
            try container.encode(ended, forKey: .ended)
            try container.encode(state, forKey: .providerState)
            try container.encode(done, forKey: .done)
            try container.encode(failed, forKey: .failed)
            try container.encode(total, forKey: .total)
            try container.encode(cancelRequested, forKey: .cancelRequested)
        case .lines(let lines, let final):
            try container.encode(Kind.lines, forKey: .kind)
            try container.encode(lines, forKey: .lines)
            try container.encode(final, forKey: .final)
        case .retryLater(let error, let delay):
            try container.encode(Kind.retryLater, forKey: .kind)
            try container.encode(error, forKey: .error)
            try container.encodeIfPresent(delay, forKey: .retryAfterMilliseconds)
        }
    }
}

/// One line's outcome in a collected batch: a reply (status and body, as the
/// live route would answer) or no answer at all.
public struct BatchLineReport: Sendable, Codable, Equatable {
    /// The line's `custom_id`.
    public var customID: String
    /// The live-equivalent status; `nil` when the provider never answered the line.
    public var status: Int?
    /// The live-equivalent body; `nil` when the provider never answered the line.
    public var body: String?
    /// Why there is no answer (expired, cancelled), when there is none.
    public var unanswered: String?

    /// Creates a line report.
    public init(customID: String, status: Int?, body: String?, unanswered: String? = nil) {
        self.customID = customID
        self.status = status
        self.body = body
        self.unanswered = unanswered
    }

    enum CodingKeys: String, CodingKey {
        case customID = "custom_id", status, body, unanswered
    }
}

/// `POST /v1/batches/{id}/renew`: the lease to extend.
public struct BatchRenewal: Sendable, Codable, Equatable {
    /// The task's lease.
    public var leaseToken: UUID

    /// Creates a renewal.
    public init(leaseToken: UUID) {
        self.leaseToken = leaseToken
    }

    enum CodingKeys: String, CodingKey {
        case leaseToken = "lease_token"
    }
}

/// The answer to a renewal or a report that was written.
public struct BatchAnswer: Sendable, Codable, Equatable {
    /// The batch.
    public var batchID: Int64
    /// `accepted`.
    public var status: ItemStatus

    /// Creates an answer.
    public init(batchID: Int64, status: ItemStatus) {
        self.batchID = batchID
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", status
    }
}
