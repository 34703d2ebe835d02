import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Image sizes stored at import, each target job's token estimate stored at submit, and the
/// cases the dry run estimates from the database.
@Suite struct TokenEstimateStoreTests {
    /// A fixture whose images have different sizes (one is not readable past its signature).
    static func dataset(_ folder: TemporaryFolder) throws -> LoadedDataset {
        var fixture = DatasetFixture(count: 3)
        fixture.imageFiles["IMG-0.png"] = PNGWriter.image(width: 40, height: 30, seed: 1)
        fixture.imageFiles["IMG-1.png"] = PNGWriter.image(width: 900, height: 2, seed: 2)
        fixture.imageFiles["IMG-2.png"] = Array(PNGWriter.image(width: 5, height: 5, seed: 3).prefix(12))
        let paths = try fixture.write(to: folder)
        return try DatasetLoader.load(name: "fixture", generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
    }

    @Test func importStoresEachImagesPixelSize() async throws {
        let pool = try await TestDatabase.pool(suite: "tokens_image_sizes")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await DatasetStore(pool: pool).importDataset(try Self.dataset(folder), replace: false)
        let rows = try await pool.query(
            "SELECT c.image_name, i.width, i.height FROM cases c JOIN images i ON i.sha256 = c.image_sha256 ORDER BY c.position")
        let sizes = try rows.map {
            "\(try $0.decode(String.self, "image_name")) \(try $0.decode(Int?.self, "width").map(String.init) ?? "-")x"
                + "\(try $0.decode(Int?.self, "height").map(String.init) ?? "-")"
        }
        #expect(sizes == ["IMG-0.png 40x30", "IMG-1.png 900x2", "IMG-2.png -x-"])
    }

    @Test func submitStoresEachTargetJobsEstimate() async throws {
        let pool = try await TestDatabase.pool(suite: "tokens_job_estimates")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let dataset = try Self.dataset(folder)
        try await DatasetStore(pool: pool).importDataset(dataset, replace: false)
        var definition = SweepFixture.definition(models: 1, samples: 3)
        definition.models.append(ModelSpec(name: "claude", provider: .anthropic, model: "claude-sonnet-4-5", maxTokens: 700))
        definition.prompts = PromptTemplates(generation: "Please answer, with care: {question}")
        try await SweepStore(pool: pool).submit(definition, limit: 2)

        let images = Dictionary(dataset.images.map { ($0.name, $0) }) { first, _ in first }
        var expected: [String] = []
        for model in definition.models {
            for (task, kind) in [(SweepTask.generation, "generate"), (.mcqa, "mcqa")] {
                for testCase in dataset.cases.prefix(2) {
                    let estimate = TokenEstimate.job(
                        model, task: task, prompts: definition.prompts, testCase: EstimatedCase(testCase, image: images[testCase.imageName]),
                        samples: task == .generation ? 3 : 1)
                    expected.append("\(model.name) \(kind) \(testCase.questionID) \(estimate.total)")
                }
            }
        }
        let rows = try await pool.query(
            """
            SELECT m.name, j.kind, c.question_id, j.estimated_tokens FROM jobs j JOIN models m ON m.id = j.model_id
            JOIN cases c ON c.id = j.case_id ORDER BY m.id, j.kind, c.position
            """)
        let stored = try rows.map {
            "\(try $0.decode(String.self, "name")) \(try $0.decode(String.self, "kind")) \(try $0.decode(String.self, "question_id")) "
                + "\(try $0.decode(Int.self, "estimated_tokens"))"
        }
        #expect(stored == expected)
        // Anthropic: three requests per generate job, each with the image (40 × 30: 2 tokens) and the prompt.
        #expect(expected.contains { $0.hasPrefix("claude generate 1001 ") })

        // A resubmission without the limit adds the third case's jobs, with their estimates (the image unreadable: assumed size).
        try await SweepStore(pool: pool).submit(definition)
        let missing = try await pool.query("SELECT count(*) AS n FROM jobs WHERE estimated_tokens IS NULL")[0].decode(Int.self, "n")
        #expect(missing == 0)
        let third = try await pool.query(
            """
            SELECT j.estimated_tokens FROM jobs j JOIN models m ON m.id = j.model_id JOIN cases c ON c.id = j.case_id
            WHERE m.name = 'claude' AND j.kind = 'mcqa' AND c.question_id = '1003'
            """)[0].decode(Int.self, "estimated_tokens")
        let prompt = TemplateRole.mcqa.render(nil, [.question: "Question 2?", .options: MCQAOptions.lines(dataset.cases[2].mcqa!.options)])
        #expect(third == TokenEstimate.text(prompt) + ImageTokenEstimate.tokens(provider: .anthropic, size: nil) + 5)
    }

    @Test func theDryRunReadsCasesWithTheirImageSizes() async throws {
        let pool = try await TestDatabase.pool(suite: "tokens_estimated_cases")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let dataset = try Self.dataset(folder)
        try await DatasetStore(pool: pool).importDataset(dataset, replace: false)
        let images = Dictionary(dataset.images.map { ($0.name, $0) }) { first, _ in first }
        let cases = try #require(try await DatasetStore(pool: pool).estimatedCases(name: "fixture", categories: []))
        #expect(cases == dataset.cases.map { EstimatedCase($0, image: images[$0.imageName]) })
        #expect(try await DatasetStore(pool: pool).estimatedCases(name: "nope", categories: []) == nil)
    }

    @Test func eachTargetBucketChargesItsRequestsMeanEstimateUntilUsageIsReported() async throws {
        let pool = try await TestDatabase.pool(suite: "tokens_bucket_seed")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let dataset = try Self.dataset(folder)
        try await DatasetStore(pool: pool).importDataset(dataset, replace: false)
        var definition = SweepFixture.definition(models: 1, tasks: [.generation], samples: 3)
        definition.models.append(ModelSpec(name: "claude", provider: .anthropic, model: "claude-sonnet-4-5", maxTokens: 700))
        try await SweepStore(pool: pool).submit(definition)
        func bucket(_ model: String) async throws -> (tokens: Double, source: String) {
            let row = try await pool.query(
                "SELECT b.tokens_per_request, b.tokens_per_request_source FROM rate_buckets b JOIN models m ON m.rate_bucket_id = b.id WHERE m.name = $1",
                [model])[0]
            return (try row.decode(Double.self, "tokens_per_request"), try row.decode(String.self, "tokens_per_request_source"))
        }

        // The mean of the requests, not of the jobs: the fixture's model sends its three samples
        // in one request, Anthropic's sends three.
        let images = Dictionary(dataset.images.map { ($0.name, $0) }) { first, _ in first }
        for model in definition.models {
            let jobs = dataset.cases.map { testCase in
                TokenEstimate.job(
                    model, task: .generation, prompts: definition.prompts,
                    testCase: EstimatedCase(testCase, image: images[testCase.imageName]), samples: 3)
            }
            let mean = (Double(jobs.map(\.total).reduce(0, +)) / Double(jobs.map(\.requests).reduce(0, +))).rounded(.up)
            #expect(try await bucket(model.name) == (mean, "estimate"))
        }
        #expect(try await bucket("claude").tokens != (try await bucket("model-0")).tokens)

        // Reported usage takes over, and a later submission's estimate does not override it.
        let jobs = JobStore(pool: pool)
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 100))
        #expect(try await jobs.complete(leases.map { SweepFixture.result(for: $0) }).allSatisfy { $0 == .accepted })
        let learnt = try await bucket("model-0")
        #expect(learnt.source == "usage")
        try await SweepStore(pool: pool).submit(definition)
        #expect(try await bucket("model-0") == learnt)
    }
}
