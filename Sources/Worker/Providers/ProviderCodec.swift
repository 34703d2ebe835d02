import Foundation
import Shared

/// One request to a model: the text and image of a prompt, and which samples
/// it asks for.
public struct ModelCall: Sendable, Equatable {
    /// The model and its settings (no secrets).
    public var model: ModelSpec
    /// The user turn's text.
    public var prompt: String
    /// The image bytes, sent as base64.
    public var image: [UInt8]
    /// `image/png`, `image/jpeg`, …
    public var imageMediaType: String
    /// The first sample index this request asks for; sent as `X-Siuo-Sample`.
    public var firstSample: Int
    /// How many samples this request asks for (`n` / `candidateCount`; 1 for Anthropic).
    public var count: Int
    /// The sampling temperature for this task (`nil`: the provider's default); the
    /// profile leaves it out for models that refuse it.
    public var temperature: Double?
    /// The answer's token limit for this task (`nil`: the provider's default); the
    /// profile adds thinking room (`effectiveRequest`).
    public var maxTokens: Int?

    /// Creates a call.
    public init(
        model: ModelSpec, prompt: String, image: [UInt8], imageMediaType: String, firstSample: Int, count: Int,
        temperature: Double?, maxTokens: Int?
    ) {
        self.model = model
        self.prompt = prompt
        self.image = image
        self.imageMediaType = imageMediaType
        self.firstSample = firstSample
        self.count = count
        self.temperature = temperature
        self.maxTokens = maxTokens
    }
}

extension ModelCall {
    /// What the request carries once the model's profile is applied to this call's
    /// temperature and answer limit (docs/architecture.md, "Model profiles"): the codecs
    /// build bodies from it, and it is the limit a request may use up.
    public var effectiveRequest: TaskRequest {
        model.profile.request(temperature: temperature, answerTokens: maxTokens)
    }
}

/// One answer decoded from a provider's reply.
public struct ProviderSample: Sendable, Equatable {
    /// The outcome class (docs/protocol.md, "Outcomes").
    public var outcome: ResponseOutcome
    /// The text; empty for blocks and truncations.
    public var text: String
    /// The provider's finish reason, verbatim.
    public var finishReason: String?

    /// Creates a sample.
    public init(outcome: ResponseOutcome, text: String, finishReason: String?) {
        self.outcome = outcome
        self.text = text
        self.finishReason = finishReason
    }
}

/// A successful exchange: the samples (possibly fewer than asked) and what it cost.
public struct ProviderReply: Sendable, Equatable {
    /// The answers, in the order of the samples asked for.
    public var samples: [ProviderSample]
    /// Input tokens the provider reported (0 when it did not say).
    public var inputTokens: Int
    /// Output tokens the provider reported (0 when it did not say).
    public var outputTokens: Int
    /// The model version the provider resolved to (`model`, `modelVersion`).
    public var resolvedModel: String?
    /// OpenAI's `system_fingerprint`.
    public var systemFingerprint: String?

    /// Creates a reply.
    public init(
        samples: [ProviderSample], inputTokens: Int = 0, outputTokens: Int = 0,
        resolvedModel: String? = nil, systemFingerprint: String? = nil
    ) {
        self.samples = samples
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.resolvedModel = resolvedModel
        self.systemFingerprint = systemFingerprint
    }
}

/// A call that produced no answer: retryable or permanent, with the
/// provider's requested delay when it gave one. Messages never hold secrets.
public struct ProviderFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether another attempt may succeed.
    public var retryable: Bool
    /// The provider pushed back (429/529): the coordinator slows the endpoint down.
    public var throttled: Bool
    /// How long the provider asked us to wait, when it said.
    public var retryAfter: Duration?
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// What went wrong, for logs and the job's last error.
    public var message: String

    /// Creates a failure.
    public init(retryable: Bool, throttled: Bool = false, retryAfter: Duration? = nil, status: Int? = nil, message: String) {
        self.retryable = retryable
        self.throttled = throttled
        self.retryAfter = retryAfter
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// This failure with every occurrence of `secrets` (the keys its request carried) in its message
    /// replaced. Pattern-based redaction (`SecretRedaction`) misses keys of no known shape (a local
    /// server's password); a provider echoing the key it got must not put it in a log or the database.
    public func redacting(_ secrets: [String]) -> ProviderFailure {
        var redacted = self
        for secret in secrets where !secret.isEmpty {
            redacted.message = redacted.message.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return redacted
    }
}

/// The headers that carry a provider key (`Authorization: Bearer …`, Anthropic's `x-api-key`, Google's
/// `x-goog-api-key`, Azure's `api-key`), and the keys they carry: what a failure's message must never hold.
enum KeyHeaders {
    /// The lower-cased names.
    static let names: Set<String> = ["authorization", "x-api-key", "x-goog-api-key", "api-key"]

    /// The keys in `headers`.
    static func secrets(in headers: [String: String]) -> [String] {
        headers.compactMap { name, value in
            guard names.contains(name.lowercased()) else { return nil }
            return value.hasPrefix("Bearer ") ? String(value.dropFirst("Bearer ".count)) : value
        }
    }
}

/// Encodes calls for one API family and decodes and classifies its replies.
public protocol ProviderCodec: Sendable {
    /// The JSON body of the request for `call`: the live request sends it, and
    /// a batch line carries it unchanged (docs/architecture.md, "Batch mode").
    func body(for call: ModelCall) -> JSONValue
    /// The HTTP request for `call`; `apiKey` is `nil` for providers that need none.
    func request(for call: ModelCall, apiKey: String?, timeout: TimeInterval) throws -> HTTPClientRequest
    /// The reply, or why there is none.
    func decode(_ response: HTTPClientResponse, for call: ModelCall) -> Result<ProviderReply, ProviderFailure>
}
