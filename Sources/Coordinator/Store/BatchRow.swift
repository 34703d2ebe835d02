import Foundation
import Shared

/// A `batches` row as `BatchSQL.columns` reads it, with its model's settings.
struct BatchRow {
    var id: Int64
    var modelID: Int64
    var state: BatchState
    var tag: String
    var providerBatchID: String?
    var providerState: String?
    var submitAttempts: Int
    /// A worker renewed its submit lease, which it does right before the request that pays.
    var mayBeSent: Bool
    var cancelRequested: Bool
    var leaseToken: UUID?
    var deadlineAt: Date
    var createdAt: Date
    var submittedAt: Date?
    var model: ModelSpec
    /// The database's clock when the row was read.
    var now: Date

    init(_ row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        modelID = try row.decode(Int64.self, "model_id")
        state = try row.decode(BatchState.self, "state")
        tag = try row.decode(String.self, "tag")
        providerBatchID = try row.decode(String?.self, "provider_batch_id")
        providerState = try row.decode(String?.self, "provider_state")
        submitAttempts = try row.decode(Int.self, "submit_attempts")
        mayBeSent = try row.decode(Bool.self, "may_be_sent")
        cancelRequested = try row.decode(Bool.self, "cancel_requested")
        leaseToken = try row.decode(UUID?.self, "lease_token")
        deadlineAt = try row.decode(Date.self, "deadline_at")
        createdAt = try row.decode(Date.self, "created_at")
        submittedAt = try row.decode(Date?.self, "submitted_at")
        model = try JSONDecoder().decode(ModelSpec.self, from: Data(try row.decode(String.self, "settings").utf8))
        now = try row.decode(Date.self, "now")
    }

    /// Whether an earlier submit may have created the batch at the provider:
    /// one was tried and reported, or a worker got as far as the request
    /// that pays and reported nothing (it died). Such a batch is searched for
    /// before it is sent again.
    var mayBeAtProvider: Bool { submitAttempts > 0 || mayBeSent }

    /// The provider failed the whole batch after creating it
    /// (`ProviderBatchState.failedWhole`): it ran no line, and none of its
    /// lines should count as expired.
    var failedAtProvider: Bool {
        ProviderBatchState.failedWhole.contains(providerState ?? "")
    }

    /// Past `batch_deadline`: cancel it, and run what it did not answer live.
    var pastDeadline: Bool { now > deadlineAt }

    /// The size cap of the model's batches.
    var maxBytes: Int { (model.batch ?? BatchSettings.defaults(for: model.provider)).maxBytes }

    /// Seconds until the next poll: often while a batch is young, at most a
    /// minute once it has run a while (a tenth of its age: a day-long batch is polled ~1,500 times).
    var pollInterval: Double {
        let age = now.timeIntervalSince(submittedAt ?? createdAt)
        return min(60, max(1, age / 10))
    }
}
