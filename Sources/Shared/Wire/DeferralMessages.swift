import Foundation

/// `POST /v1/deferrals` item: a batch-lane lease that wrote its requests as
/// batch lines instead of sending them live. The job waits (state `batched`)
/// until the batch holding them is collected (docs/architecture.md, "Batch mode").
public struct JobDeferral: Sendable, Codable, Equatable {
    /// The lease it ends.
    public var lease: LeaseReference
    /// Samples this lease did get (from the cache, or from batch replies): stored as with a result.
    public var samples: [SampleResult]
    /// The requests to send in a batch; never empty.
    public var calls: [DeferredCall]
    /// What this lease used (cache hits, batch replies decoded).
    public var usage: Usage

    /// Creates a deferral.
    public init(lease: LeaseReference, samples: [SampleResult], calls: [DeferredCall], usage: Usage) {
        self.lease = lease
        self.samples = samples
        self.calls = calls
        self.usage = usage
    }
}

/// One request of a job for a batch, as its parts: the submitting worker
/// rebuilds the body with the live codec from these, the job's model and its
/// case image, so the line is byte for byte the live request.
public struct DeferredCall: Sendable, Codable, Equatable {
    /// The most samples one request asks for (OpenAI's `n` goes to 128): a
    /// worker splits a longer run of missing samples, and the coordinator
    /// refuses a deferral with a larger request.
    public static let maxSamples = 128

    /// The first sample index this request asks for (the `s` of its `custom_id`).
    public var firstSample: Int
    /// How many samples it asks for (`n` / `candidateCount`).
    public var count: Int
    /// The user turn's text.
    public var prompt: String
    /// The sampling temperature (`nil`: the provider's default).
    public var temperature: Double?
    /// The output token limit (`nil`: the provider's default).
    public var maxTokens: Int?

    /// Creates a call.
    public init(firstSample: Int, count: Int, prompt: String, temperature: Double?, maxTokens: Int?) {
        self.firstSample = firstSample
        self.count = count
        self.prompt = prompt
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    enum CodingKeys: String, CodingKey {
        case firstSample = "first_sample", count, prompt, temperature, maxTokens = "max_tokens"
    }
}
