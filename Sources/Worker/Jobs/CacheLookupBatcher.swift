import Shared

/// Cache lookups from many jobs share one `POST /v1/cache/lookup`: callers
/// wait a few milliseconds while others add their keys, then one call answers
/// them all (a lookup per job would double the coordinator's request count).
/// The batching is `CacheLookupQueue`'s.
actor CacheLookupBatcher {
    private typealias Continuation = CheckedContinuation<[String: CachedAnswer], any Error>

    private let lookup: @Sendable ([String]) async throws -> [CachedAnswer]
    private var queue = CacheLookupQueue<Continuation>()
    private var flushing = false

    init(lookup: @escaping @Sendable ([String]) async throws -> [CachedAnswer]) {
        self.lookup = lookup
    }

    func answers(_ keys: [String]) async throws -> [String: CachedAnswer] {
        try await withCheckedThrowingContinuation { continuation in
            queue.add(keys, continuation)
            if !flushing {
                flushing = true
                Task { await flush() }
            }
        }
    }

    private func flush() async {
        try? await Task.sleep(for: .milliseconds(5))
        while !queue.isEmpty {
            let (keys, waiters) = queue.nextLookup()
            do {
                let found = CacheLookupQueue<Continuation>.byKey(try await lookup(keys))
                for (wanted, continuation) in waiters {
                    continuation.resume(returning: CacheLookupQueue<Continuation>.answers(for: wanted, in: found))
                }
            } catch {
                for (_, continuation) in waiters { continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
