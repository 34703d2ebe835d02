import Foundation
import Shared

/// Rate tokens for requests a lease did not carry (retries, later samples,
/// judge re-asks). Callers wait in line per endpoint; one flusher asks the
/// coordinator for all of them in one batched `POST /v1/permits`, and asks
/// again after the delay it names for those still waiting.
public actor PermitBroker {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let ask: @Sendable ([PermitRequest]) async throws -> [PermitGrant]
    private var waiting: [EndpointKey: [Waiter]] = [:]
    private var notBefore: [EndpointKey: ContinuousClock.Instant] = [:]
    private var nextID: UInt64 = 0
    private var flusher: Task<Void, Never>?

    /// A broker that sends batches with `ask`.
    public init(ask: @escaping @Sendable ([PermitRequest]) async throws -> [PermitGrant]) {
        self.ask = ask
    }

    /// Returns once the coordinator granted one request to `endpoint`.
    public func acquire(_ endpoint: EndpointKey) async throws {
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiting[endpoint, default: []].append(Waiter(id: id, continuation: continuation))
                startFlusher()
            }
        } onCancel: {
            Task { await self.abandon(id, endpoint) }
        }
    }

    private func abandon(_ id: UInt64, _ endpoint: EndpointKey) {
        guard let index = waiting[endpoint]?.firstIndex(where: { $0.id == id }) else { return }
        waiting[endpoint]!.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func startFlusher() {
        guard flusher == nil else { return }
        flusher = Task { await flushUntilEmpty() }
    }

    private func flushUntilEmpty() async {
        while !waiting.values.allSatisfy(\.isEmpty) {
            // A short pause lets requests from many jobs share one round trip;
            // while every waiting endpoint is told to wait, sleep until the first may ask.
            let firstDue = waiting.filter { !$0.value.isEmpty }.keys.map { notBefore[$0] ?? .now }.min() ?? .now
            try? await Task.sleep(until: max(firstDue, .now + .milliseconds(10)))
            let now = ContinuousClock.now
            let due = waiting.filter { !$0.value.isEmpty && (notBefore[$0.key] ?? now) <= now }.map { PermitRequest(endpoint: $0.key, count: $0.value.count) }
            guard !due.isEmpty else { continue }
            do {
                let grants = try await ask(due)
                for (request, grant) in zip(due, grants) { hand(grant, for: request.endpoint) }
            } catch {
                for request in due { notBefore[request.endpoint] = .now + .milliseconds(500) }
            }
        }
        flusher = nil
    }

    private func hand(_ grant: PermitGrant, for endpoint: EndpointKey) {
        var line = waiting[endpoint] ?? []
        let served = min(grant.granted, line.count)
        for waiter in line.prefix(served) { waiter.continuation.resume() }
        line.removeFirst(served)
        waiting[endpoint] = line
        if !line.isEmpty {
            notBefore[endpoint] = .now + .milliseconds(max(20, grant.retryAfterMilliseconds ?? 250))
        }
    }
}
