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

    init(lease: JobLease, ttl: Duration, gateway: ModelGateway, permits: PermitBroker, retriesPerLease: Int) {
        self.lease = lease
        self.ttl = ttl
        self.gateway = gateway
        self.permits = permits
        self.retriesPerLease = retriesPerLease
        self.carried = lease.permits
    }

    /// Answers taken from the response cache instead of the provider.
    func countCacheHits(_ count: Int) {
        usage.cacheHits += count
    }

    /// The reply to `call`, retried as the rules allow.
    func send(_ call: ModelCall) async throws -> ProviderReply {
        var failures = 0
        while true {
            try await spendToken(for: call.model)
            usage.requests += 1
            if failures > 0 { usage.retries += 1 }
            switch try await gateway.send(call) {
            case .success(let reply):
                usage.inputTokens += reply.inputTokens
                usage.outputTokens += reply.outputTokens
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
