import Foundation
import Shared

/// One lease's calls to its models: every request spends a rate token (one
/// the lease carried, else one from the coordinator), retryable errors are
/// retried with backoff while the lease has time, and anything that ends the
/// lease is thrown as a `LeaseStop`.
final class LeaseSession: @unchecked Sendable {
    let lease: JobLease
    private let gateway: ModelGateway
    private let permits: PermitBroker
    private let retriesPerLease: Int
    private let ttl: Duration
    private var carried: Int
    private(set) var usage = Usage()
    /// Batch replies not used yet in this lease, by `custom_id`.
    private var replies: [String: BatchReply]

    init(lease: JobLease, ttl: Duration, gateway: ModelGateway, permits: PermitBroker, retriesPerLease: Int) {
        self.lease = lease
        self.ttl = ttl
        self.gateway = gateway
        self.permits = permits
        self.retriesPerLease = retriesPerLease
        self.carried = lease.permits
        self.replies = Dictionary(lease.batchReplies.map { ($0.customID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Answers taken from the response cache instead of the provider.
    func countCacheHits(_ count: Int) {
        usage.cacheHits += count
    }

    /// The reply to `call`: a batch's reply when one came for it; for a
    /// batch-lane job, a `Deferred` when none did and `batchable` (the call
    /// waits for a batch); else sent live, retried as the rules allow.
    func send(_ call: ModelCall, batchable: Bool = true) async throws -> ProviderReply {
        if call.model == lease.model, let reply = replies.removeValue(forKey: BatchReply.customID(jobID: lease.jobID, firstSample: call.firstSample))
        {
            return try decode(reply, for: call)
        }
        if lease.viaBatch, batchable, call.model == lease.model {
            throw Deferred(calls: [DeferredCall(call)], samples: [])
        }
        return try await sendLive(call)
    }

    /// A batch reply through the live codec. It spends no rate token; an
    /// error in it ends the call like a live error would, except that it
    /// says nothing about the live rate (never a throttle).
    private func decode(_ reply: BatchReply, for call: ModelCall) throws -> ProviderReply {
        usage.requests += 1
        usage.batchRequests += 1
        switch gateway.decode(reply, for: call) {
        case .success(let answer):
            count(answer, viaBatch: true)
            return answer
        case .failure(var failure):
            failure.throttled = false
            failure.message = "in a batch: " + failure.message
            throw BatchLineFailed(stop: LeaseStop(failure))
        }
    }

    /// Adds `reply`'s tokens to the usage, without overflow however many the provider claimed.
    private func count(_ reply: ProviderReply, viaBatch: Bool) {
        usage.inputTokens = ProviderCount.sum([usage.inputTokens, reply.inputTokens])
        usage.outputTokens = ProviderCount.sum([usage.outputTokens, reply.outputTokens])
        guard viaBatch else { return }
        usage.batchInputTokens = ProviderCount.sum([usage.batchInputTokens, reply.inputTokens])
        usage.batchOutputTokens = ProviderCount.sum([usage.batchOutputTokens, reply.outputTokens])
    }

    private func sendLive(_ call: ModelCall) async throws -> ProviderReply {
        var failures = 0
        while true {
            try await spendToken(for: call.model)
            usage.requests += 1
            if failures > 0 {
                usage.retries += 1
                gateway.metrics.retried(call.model)
            }
            switch try await gateway.send(call) {
            case .success(let reply):
                count(reply, viaBatch: false)
                return reply
            case .failure(let failure):
                // A throttle ends the lease at once: the coordinator must hear of
                // it to slow every worker down, and it costs no attempt.
                guard failure.retryable, !failure.throttled else { throw LeaseStop(failure) }
                failures += 1
                let delay = RetryBackoff.delay(afterAttempt: failures, retryAfter: failure.retryAfter.map(\.seconds))
                guard failures <= retriesPerLease else { throw LeaseStop(failure, retryAfter: .seconds(delay)) }
                // Sleeping on a lease past its life helps no one: give the job back
                // for after the delay, without counting an attempt (docs/protocol.md, "Attempts, throttles and given-back jobs").
                guard Duration.seconds(delay) < ttl / 2 else {
                    throw LeaseStop(failure, retryAfter: .seconds(delay), countsAsAttempt: false)
                }
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }

    private func spendToken(for model: ModelSpec) async throws {
        if carried > 0, model.endpointKey == lease.model.endpointKey {
            carried -= 1
            return
        }
        try await permits.acquire(model.endpointKey)
    }
}

/// A model call that ends the lease without a result.
struct LeaseStop: Error {
    let failure: ProviderFailure
    /// `false` when the job is given back rather than failed.
    let countsAsAttempt: Bool

    init(_ failure: ProviderFailure, retryAfter: Duration? = nil, countsAsAttempt: Bool = true) {
        var failure = failure
        if let retryAfter, retryAfter > (failure.retryAfter ?? .zero) { failure.retryAfter = retryAfter }
        self.failure = failure
        self.countsAsAttempt = countsAsAttempt
    }
}

/// A call of a batch-lane job with no reply yet: it waits for a provider
/// batch. Jobs gather these (with the samples they did get) into a `JobDeferral`.
struct Deferred: Error {
    var calls: [DeferredCall]
    var samples: [SampleResult]
}

/// A batch reply that was an error: ends the call like `LeaseStop`, but a job
/// holding other replies reads them first, so none it paid for is thrown away.
struct BatchLineFailed: Error {
    let stop: LeaseStop
}

extension DeferredCall {
    /// The parts of `call` a batch line keeps (the model is the job's, the image its case's).
    init(_ call: ModelCall) {
        self.init(firstSample: call.firstSample, count: call.count, prompt: call.prompt, temperature: call.temperature, maxTokens: call.maxTokens)
    }
}
