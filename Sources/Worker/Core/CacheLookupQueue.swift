import Shared

/// The cache-lookup batcher's decisions, free of I/O: which waiting callers
/// share the next `POST /v1/cache/lookup`, and what each of them gets back.
struct CacheLookupQueue<Waiter: Sendable>: Sendable {
    /// The most distinct keys in one lookup (a caller with more still goes alone).
    static var keysPerLookup: Int { 10_000 }

    private var waiting: [(keys: [String], waiter: Waiter)] = []

    /// Whether nobody waits.
    var isEmpty: Bool { waiting.isEmpty }

    /// A caller waits for `keys`.
    mutating func add(_ keys: [String], _ waiter: Waiter) {
        waiting.append((keys, waiter))
    }

    /// The callers served by the next lookup, first come first served, while
    /// the keys stay within `keysPerLookup` (counting a caller's keys in full), and
    /// the distinct keys it asks for (sorted, so a lookup is reproducible).
    mutating func nextLookup() -> (keys: [String], waiters: [(keys: [String], waiter: Waiter)]) {
        var batch: [(keys: [String], waiter: Waiter)] = []
        var keys = Set<String>()
        while let next = waiting.first, batch.isEmpty || keys.count + next.keys.count <= Self.keysPerLookup {
            batch.append(waiting.removeFirst())
            keys.formUnion(next.keys)
        }
        return (keys.sorted(), batch)
    }

    /// What one caller asked for, out of what a lookup found.
    static func answers(for keys: [String], in found: [String: CachedAnswer]) -> [String: CachedAnswer] {
        Dictionary(keys.compactMap { key in found[key].map { (key, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// A lookup's answers by key (the first of duplicates wins).
    static func byKey(_ answers: [CachedAnswer]) -> [String: CachedAnswer] {
        Dictionary(answers.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
