import Shared

/// Image bytes by content hash.
public struct ImageStore: Sendable {
    let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The image `sha256` with its media type, or `nil` when unknown.
    public func image(sha256: String) async throws -> (mediaType: String, bytes: [UInt8])? {
        guard SHA256Hex.isValid(sha256), let row = try await pool.query(ImageSQL.bySHA256, [sha256]).first else { return nil }
        return (try row.decode(String.self, "media_type"), try row.decode([UInt8].self, "bytes"))
    }
}

enum ImageSQL {
    static let bySHA256 = "SELECT media_type, bytes FROM images WHERE sha256 = $1"
}
