import Foundation
import Shared

/// The response cache (docs/protocol.md, "The response cache and replicates"): provider answers by the sha256 of the
/// exact request, so a resubmitted or replaced sweep reuses them instead of
/// paying again. Written in the transaction that stores a result.
public struct ResponseCacheStore: Sendable {
    let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The cached answers among `keys`; unknown keys are simply absent.
    public func answers(_ keys: [String]) async throws -> [CachedAnswer] {
        let keys = Array(Set(keys.filter(SHA256Hex.isValid)))
        guard !keys.isEmpty else { return [] }
        let decoder = JSONDecoder()
        return try await pool.query(CacheSQL.lookup, [PostgresTextArray(keys)]).map { row in
            var answer = try decoder.decode(CachedAnswer.self, from: Data(try row.decode(String.self, "body").utf8))
            answer.key = try row.decode(String.self, "cache_key")
            return answer
        }
    }

    /// The statement that stores `answers` under their keys (a key already
    /// stored keeps its first answer), or `nil` when none has a valid key.
    static func insert(_ answers: [CachedAnswer]) throws -> PostgresStatement? {
        // In key order: concurrent result batches sharing keys then never deadlock.
        let answers = answers.filter { SHA256Hex.isValid($0.key) }.sorted { $0.key < $1.key }
        guard !answers.isEmpty else { return nil }
        let encoder = JSONEncoder()
        return PostgresStatement(
            CacheSQL.insert,
            [
                PostgresTextArray(answers.map(\.key)),
                PostgresTextArray(try answers.map { String(decoding: try encoder.encode($0), as: UTF8.self) }),
            ])
    }
}

enum CacheSQL {
    static let lookup = "SELECT cache_key, body::text AS body FROM response_cache WHERE cache_key = ANY($1::text[])"
    static let insert = """
        INSERT INTO response_cache (cache_key, body)
        SELECT * FROM unnest($1::text[], $2::jsonb[])
        ON CONFLICT (cache_key) DO NOTHING
        """
}
