import Shared

/// Cache lookups from many jobs share one `POST /v1/cache/lookup`: callers
/// wait a few milliseconds while others add their keys, then one call answers
/// them all (a lookup per job would double the coordinator's request count).
actor CacheLookupBatcher {
    private struct Waiter {
        let keys: [String]
        let continuation: CheckedContinuation<[String: CachedAnswer], any Error>
    }

    private let lookup: @Sendable ([String]) async throws -> [CachedAnswer]
    private var waiting: [Waiter] = []
    private var flushing = false

    init(lookup: @escaping @Sendable ([String]) async throws -> [CachedAnswer]) {
        self.lookup = lookup
    }

    func answers(_ keys: [String]) async throws -> [String: CachedAnswer] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiter(keys: keys, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await flush() }
            }
        }
    }

    private func flush() async {
        try? await Task.sleep(for: .milliseconds(5))
        while !waiting.isEmpty {
            var batch: [Waiter] = []
            var keys = Set<String>()
            while let next = waiting.first, keys.count + next.keys.count <= 10_000 || batch.isEmpty {
                batch.append(waiting.removeFirst())
                keys.formUnion(next.keys)
            }
            do {
                let found = Dictionary(try await lookup(Array(keys)).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                for waiter in batch {
                    let mine = waiter.keys.compactMap { key in found[key].map { (key, $0) } }
                    waiter.continuation.resume(returning: Dictionary(mine, uniquingKeysWith: { first, _ in first }))
                }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
