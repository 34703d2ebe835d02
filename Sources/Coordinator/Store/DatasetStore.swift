import Foundation
import Shared

/// Datasets, their cases and images. Every import is one transaction.
public struct DatasetStore: Sendable {
    private let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// What an import did.
    public enum ImportOutcome: Sendable, Equatable {
        /// A new dataset was written.
        case imported
        /// The same data was already imported under this name; nothing was written.
        case unchanged
        /// Different data replaced the dataset of this name (`--replace`); the old
        /// one is retired, not deleted, so sweeps that used it keep their cases.
        case replaced
    }

    /// Writes `dataset` in one transaction, or nothing at all.
    @discardableResult
    public func importDataset(_ dataset: LoadedDataset, replace: Bool) async throws -> ImportOutcome {
        // Checked before anything is written: every case's image is in the dataset.
        let imageHashes = try Self.imageHashes(dataset)
        return try await pool.withTransaction { connection in
            // Two imports of one name queue up instead of racing.
            try await connection.query(LockSQL.named, ["dataset:" + dataset.name])
            let current = try await connection.query(DatasetSQL.current, [dataset.name]).first
            var outcome = ImportOutcome.imported
            if let current {
                if try current.decode(String.self, "content_sha256") == dataset.contentSHA256 { return .unchanged }
                guard replace else { throw DatasetStoreError.differentDataExists(name: dataset.name) }
                try await connection.query(DatasetSQL.retire, [try current.decode(Int64.self, "id")])
                outcome = .replaced
            }
            try await insertImages(dataset.images, on: connection)
            let datasetID = try await connection.query(
                DatasetSQL.insert,
                [
                    dataset.name, dataset.contentSHA256, dataset.cases.count, dataset.categoryCount,
                    dataset.images.count, dataset.cases.contains { $0.mcqa != nil },
                ])[0].decode(Int64.self, "id")
            try await insertCases(dataset, imageHashes: imageHashes, datasetID: datasetID, on: connection)
            return outcome
        }
    }

    /// The current datasets, by name.
    public func list() async throws -> [DatasetSummary] {
        try await pool.query(DatasetSQL.list).map { row in
            DatasetSummary(
                name: try row.decode(String.self, "name"), cases: try row.decode(Int.self, "case_count"),
                categories: try row.decode(Int.self, "category_count"), images: try row.decode(Int.self, "image_count"),
                importedAt: try row.decode(Date.self, "imported_at"))
        }
    }

    /// Images already stored (from any dataset) are not sent again.
    private func insertImages(_ images: [DatasetImage], on connection: PostgresConnection) async throws {
        let stored = try await connection.query(DatasetSQL.storedImages, [PostgresTextArray(images.map(\.sha256))])
        var known = Set(try stored.map { try $0.decode(String.self, "sha256") })
        for image in images where known.insert(image.sha256).inserted {
            let size = ImageSize.read(image.bytes)
            try await connection.query(
                DatasetSQL.insertImage, [image.sha256, image.mediaType.rawValue, image.bytes.count, image.bytes, size?.width, size?.height])
        }
    }

    /// The sha256 of each case's image, in case order; a case naming an image the dataset does not hold is refused.
    private static func imageHashes(_ dataset: LoadedDataset) throws -> [String] {
        let hashes = Dictionary(dataset.images.map { ($0.name, $0.sha256) }) { first, _ in first }
        return try dataset.cases.map { testCase in
            guard let hash = hashes[testCase.imageName] else {
                throw DatasetStoreError.missingImage(name: dataset.name, questionID: testCase.questionID, image: testCase.imageName)
            }
            return hash
        }
    }

    private func insertCases(
        _ dataset: LoadedDataset, imageHashes: [String], datasetID: Int64, on connection: PostgresConnection
    ) async throws {
        let cases = dataset.cases
        try await connection.query(
            DatasetSQL.insertCases,
            [
                datasetID,
                PostgresTextArray(cases.map(\.questionID)),
                PostgresTextArray(cases.indices.map { String($0) }),
                PostgresTextArray(cases.map(\.category)),
                PostgresTextArray(cases.map(\.question)),
                PostgresTextArray(cases.map(\.imageName)),
                PostgresTextArray(imageHashes),
                PostgresTextArray(cases.map(\.safetyWarning)),
                PostgresTextArray(cases.map(\.referenceAnswer)),
                PostgresTextArray(cases.map { $0.generationItem.canonicalString() }),
                PostgresNullableTextArray(cases.map { $0.mcqa?.item.canonicalString() }),
            ])
    }

    /// What token estimates read of dataset `name`'s cases in `categories` (all when empty), in
    /// dataset order; `nil` when no such dataset is imported.
    public func estimatedCases(name: String, categories: [String]) async throws -> [EstimatedCase]? {
        guard try await list().contains(where: { $0.name == name }) else { return nil }
        return try await pool.query(DatasetSQL.estimatedCases, [name, PostgresTextArray(categories)]).map(Self.estimatedCase)
    }

    /// A row of `DatasetSQL.estimatedCases` (or any query with its columns) as a case for estimates.
    static func estimatedCase(_ row: PostgresRow) throws -> EstimatedCase {
        let width = try row.decode(Int?.self, "width")
        let height = try row.decode(Int?.self, "height")
        let options = try row.decode(JSONValue?.self, "options")?.objectValue?.compactMapValues(\.stringValue)
        return EstimatedCase(
            question: try row.decode(String.self, "question"), options: options,
            safetyWarning: try row.decode(String.self, "safety_warning"), referenceAnswer: try row.decode(String.self, "reference_answer"),
            image: width.flatMap { width in height.map { ImageSize(width: width, height: $0) } })
    }
}

/// Why the store refused a write.
public enum DatasetStoreError: Error, CustomStringConvertible, Equatable {
    /// The name is taken by other data and `--replace` was not given.
    case differentDataExists(name: String)
    /// A case names an image the dataset does not hold.
    case missingImage(name: String, questionID: String, image: String)

    /// What happened and what to do.
    public var description: String {
        switch self {
        case .differentDataExists(let name):
            "dataset \"\(name)\" already exists with different data; nothing was written (pass --replace to replace it)"
        case .missingImage(let name, let questionID, let image):
            "dataset \"\(name)\": case \(questionID) names image \(image), which the dataset does not hold; nothing was written"
        }
    }
}

enum DatasetSQL {
    /// What token estimates read of a current dataset's cases, optionally of some categories only.
    static let estimatedCases = """
        SELECT \(estimateColumns) FROM cases c JOIN datasets d ON d.id = c.dataset_id JOIN images i ON i.sha256 = c.image_sha256
        WHERE d.name = $1 AND d.retired_at IS NULL AND (cardinality($2::text[]) = 0 OR c.category = ANY($2::text[]))
        ORDER BY c.position
        """
    /// The cases a sweep's jobs are created for (dataset $1, categories $2 or all, the first $3 in
    /// dataset order or all), with what token estimates read of them: the one statement that picks
    /// them (`JobSQL.create` makes its jobs from what this answers).
    static let jobCases = """
        SELECT c.id, \(estimateColumns) FROM cases c JOIN images i ON i.sha256 = c.image_sha256
        WHERE c.dataset_id = $1 AND (cardinality($2::text[]) = 0 OR c.category = ANY($2::text[]))
        ORDER BY c.position LIMIT $3::integer
        """
    /// The columns `DatasetStore.estimatedCase` reads, of cases `c` and images `i`.
    static let estimateColumns = """
        c.question, c.mcqa_item->'options' AS options, c.safety_warning, c.reference_answer, i.width, i.height
        """
    static let current = "SELECT id, content_sha256 FROM datasets WHERE name = $1 AND retired_at IS NULL FOR UPDATE"
    static let retire = "UPDATE datasets SET retired_at = now() WHERE id = $1"
    static let storedImages = "SELECT sha256 FROM images WHERE sha256 = ANY($1::text[])"
    static let insertImage = """
        INSERT INTO images (sha256, media_type, byte_size, bytes, width, height) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (sha256) DO NOTHING
        """
    static let insert = """
        INSERT INTO datasets (name, content_sha256, case_count, category_count, image_count, has_mcqa)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
        """
    static let insertCases = """
        INSERT INTO cases (dataset_id, question_id, position, category, question, image_name, image_sha256,
                           safety_warning, reference_answer, generation_item, mcqa_item)
        SELECT $1, q, p::integer, c, t, n, h, w, r, g::jsonb, m::jsonb
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::text[], $11::text[]) AS u(q, p, c, t, n, h, w, r, g, m)
        """
    static let list = """
        SELECT name, case_count, category_count, image_count, imported_at
        FROM datasets WHERE retired_at IS NULL ORDER BY name
        """
}
