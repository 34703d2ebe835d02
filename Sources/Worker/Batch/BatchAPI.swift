import Foundation
import Shared

/// One request of a batch: the live call it stands for and its `custom_id`
/// (Gemini: `metadata.key`), `j<job id>-s<first sample index>`.
public struct BatchLine: Sendable, Equatable {
    /// `j<job id>-s<first sample index>`, the batch form of `X-Siuo-Sample`.
    public var customID: String
    /// The call; the line's body is exactly the live request's body for it.
    public var call: ModelCall

    /// Creates a line.
    public init(customID: String, call: ModelCall) {
        self.customID = customID
        self.call = call
    }
}

/// What a provider accepted as one batch.
public struct BatchSubmission: Sendable, Equatable {
    /// The provider's id for the batch.
    public var providerBatchID: String
    /// The custom ids sent, in order; lines past the size cap are left out and wait for a later batch.
    public var included: [String]

    /// Creates a submission.
    public init(providerBatchID: String, included: [String]) {
        self.providerBatchID = providerBatchID
        self.included = included
    }
}

/// A batch's progress at the provider.
public struct BatchProgress: Sendable, Equatable {
    /// Whether the provider is done with it (completed, ended, failed, expired or cancelled).
    public var ended: Bool
    /// The provider's own word for the state, verbatim (`in_progress`, `ended`, `BATCH_STATE_RUNNING`).
    public var providerState: String
    /// Lines answered so far, successfully or not.
    public var done: Int
    /// Of those, lines that ended in an error.
    public var failed: Int
    /// Lines in the batch, as the provider counts them.
    public var total: Int

    /// Creates a progress report.
    public init(ended: Bool, providerState: String, done: Int, failed: Int, total: Int) {
        self.ended = ended
        self.providerState = providerState
        self.done = done
        self.failed = failed
        self.total = total
    }
}

/// How one line of an ended batch came out.
public enum BatchLineOutcome: Sendable, Equatable {
    /// What the live route would have answered for this request: the HTTP
    /// status and body the live codec decodes (a success, or the error the
    /// provider gave the line, as its live error body).
    case reply(status: Int, body: [UInt8])
    /// The provider never answered it (the batch expired or was cancelled first).
    case unanswered(reason: String)
}

/// One line of an ended batch.
public struct BatchLineResult: Sendable, Equatable {
    /// The line's `custom_id` (Gemini: `metadata.key`).
    public var customID: String
    /// How it came out.
    public var outcome: BatchLineOutcome

    /// Creates a line result.
    public init(customID: String, outcome: BatchLineOutcome) {
        self.customID = customID
        self.outcome = outcome
    }
}

/// A provider's batch API, as the worker uses it (docs/architecture.md, "Batch mode").
/// Every failure is a `ProviderFailure`: retryable or not, throttled when the
/// provider's queue limits answered (429, OpenAI's enqueued-token limit).
public protocol BatchAPI: Sendable {
    /// Sends `lines` as one batch, tagged with `tag` where the provider can
    /// keep it (OpenAI `metadata`, Gemini `display_name`), within `maxBytes`.
    /// `beforeCreate` runs right before the request that creates (and pays
    /// for) the batch, after any free upload: a throw there sends nothing.
    func submit(
        _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int,
        beforeCreate: @Sendable () async throws -> Void
    ) async throws -> BatchSubmission
    /// The custom ids of the lines `submit` would send for the same
    /// arguments (those that fit in `maxBytes`, in order), without sending
    /// anything: what a batch found by `find` holds.
    func included(_ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int) throws -> [String]
    /// The id of a batch submitted earlier with `tag` (a crash may have lost
    /// the answer), or `nil` when there is none. Where the provider keeps no
    /// tag (Anthropic), the newest batch created after `createdAfter` with
    /// `lineCount` requests that `known` does not hold yet.
    func find(tag: String, lineCount: Int, createdAfter: Date, known: Set<String>, model: ModelSpec) async throws -> String?
    /// Where the batch stands.
    func progress(of providerBatchID: String, model: ModelSpec) async throws -> BatchProgress
    /// Asks the provider to cancel the batch; lines it answered before stopping stay answered.
    func cancel(_ providerBatchID: String, model: ModelSpec) async throws
    /// Every line of an ended batch the provider reports on; lines it does
    /// not mention are absent. A batch that ran no line at all (OpenAI's
    /// `failed`: its input refused, or the enqueued-token limit reached)
    /// reports every line as unanswered, with the provider's error as reason.
    func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult]
}

extension BatchAPI {
    /// Sends a cancel request; a refusal because the batch has ended already
    /// counts as cancelled (every provider refuses to cancel an ended batch).
    func cancelOrEnded(_ providerBatchID: String, model: ModelSpec, send: () async throws -> Void) async throws {
        do {
            try await send()
        } catch let failure as ProviderFailure where !failure.retryable {
            guard try await progress(of: providerBatchID, model: model).ended else { throw failure }
        }
    }
}
