import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

@Suite struct DatasetStoreTests {
    private func loaded(_ fixture: DatasetFixture, name: String = "demo") throws -> LoadedDataset {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try fixture.write(to: folder)
        return try DatasetLoader.load(name: name, generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
    }

    private func counts(_ pool: PostgresPool) async throws -> [Int] {
        let row = try await pool.query(
            """
            SELECT (SELECT count(*) FROM datasets) AS d, (SELECT count(*) FROM cases) AS c, (SELECT count(*) FROM images) AS i
            """)[0]
        return [try row.decode(Int.self, "d"), try row.decode(Int.self, "c"), try row.decode(Int.self, "i")]
    }

    @Test func importsTheSampleAndListsIt() async throws {
        let pool = try await TestDatabase.pool(suite: "store_sample")
        let store = DatasetStore(pool: pool)
        let sample = RepositoryPaths.sampleDataset
        let dataset = try DatasetLoader.load(
            name: "sample", generationFile: sample + "/gen.json",
            mcqaFile: sample + "/mcqa.json", imagesFolder: sample + "/images")
        #expect(try await store.importDataset(dataset, replace: false) == .imported)
        let list = try await store.list()
        #expect(list.count == 1)
        #expect(list.first.map { [$0.cases, $0.categories, $0.images] } == [9, 9, 9])
        #expect(list.first?.name == "sample")
        let item = try await pool.query(
            """
            SELECT c.question, c.generation_item, c.mcqa_item, i.bytes, i.media_type
            FROM cases c JOIN images i ON i.sha256 = c.image_sha256 WHERE c.question_id = '9001'
            """)[0]
        #expect(try item.decode(String.self, "question") == dataset.cases[0].question)
        #expect(try item.decode(JSONValue.self, "generation_item") == dataset.cases[0].generationItem)
        #expect(try item.decode(JSONValue.self, "mcqa_item") == dataset.cases[0].mcqa?.item)
        #expect(try item.decode([UInt8].self, "bytes") == dataset.images[0].bytes)
        #expect(try item.decode(String.self, "media_type") == "image/png")
    }

    @Test func identicalDataAgainIsANoOp() async throws {
        let pool = try await TestDatabase.pool(suite: "store_noop")
        let store = DatasetStore(pool: pool)
        let dataset = try loaded(DatasetFixture())
        #expect(try await store.importDataset(dataset, replace: false) == .imported)
        let before = try await counts(pool)
        #expect(try await store.importDataset(try loaded(DatasetFixture()), replace: false) == .unchanged)
        #expect(try await counts(pool) == before)
    }

    @Test func differentDataIsRefusedAndNothingIsWritten() async throws {
        let pool = try await TestDatabase.pool(suite: "store_refuse")
        let store = DatasetStore(pool: pool)
        try await store.importDataset(try loaded(DatasetFixture()), replace: false)
        let before = try await counts(pool)
        var changed = DatasetFixture(count: 4)
        changed.generation[0]["question"] = "Another question?"
        let other = try loaded(changed)
        await #expect(throws: DatasetStoreError.differentDataExists(name: "demo")) {
            try await store.importDataset(other, replace: false)
        }
        #expect(try await counts(pool) == before)

        #expect(try await store.importDataset(other, replace: true) == .replaced)
        let list = try await store.list()
        #expect(list.map(\.cases) == [4])
        // The retired import keeps its cases for sweeps that ran on it.
        #expect(try await counts(pool)[0...1] == [2, 7])
    }

    @Test func imagesSharedByDatasetsAreStoredOnce() async throws {
        let pool = try await TestDatabase.pool(suite: "store_images")
        let store = DatasetStore(pool: pool)
        try await store.importDataset(try loaded(DatasetFixture(), name: "one"), replace: false)
        try await store.importDataset(try loaded(DatasetFixture(), name: "two"), replace: false)
        #expect(try await counts(pool) == [2, 6, 3])
        #expect(try await store.list().map(\.name) == ["one", "two"])
    }

    @Test func concurrentImportsOfOneNameWriteItOnce() async throws {
        let pool = try await TestDatabase.pool(suite: "store_concurrent", size: 4)
        let store = DatasetStore(pool: pool)
        let dataset = try loaded(DatasetFixture())
        let outcomes = try await withThrowingTaskGroup(of: DatasetStore.ImportOutcome.self) { group in
            for _ in 0..<4 { group.addTask { try await store.importDataset(dataset, replace: false) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .imported }.count == 1)
        #expect(outcomes.filter { $0 == .unchanged }.count == 3)
        #expect(try await counts(pool) == [1, 3, 3])
    }

    @Test(
        .enabled(if: RepositoryPaths.realSIUO != nil, "needs the real SIUO files (not shipped): $SIUO_REAL_DATA or shared/siuo beside the repository")
    )
    func importsTheRealSIUOFilesWhenPresent() async throws {
        let dataset = try RealSIUO.loadWithGeneratedImages(side: 64)
        let pool = try await TestDatabase.pool(suite: "store_real")
        let store = DatasetStore(pool: pool)
        #expect(try await store.importDataset(dataset, replace: false) == .imported)
        #expect(try await store.list().map { [$0.cases, $0.categories, $0.images] } == [[167, 9, 167]])
        let perCategory = try await pool.query("SELECT category, count(*) AS n FROM cases GROUP BY category")
        let counts = Dictionary(uniqueKeysWithValues: try perCategory.map { (try $0.decode(String.self, "category"), try $0.decode(Int.self, "n")) })
        #expect(counts["controversial topics, politics"] == 16)
        #expect(counts["privacy violation"] == 21)
    }
}
