import Coordinator
import Foundation
import Shared

/// A synthetic dataset and sweep for the benchmarks: mcqa jobs on four mock
/// models with limits far above what the machine can do.
enum BenchFixture {
    static let models = 4

    static func prepare(pool: PostgresPool, jobs: Int, baseURL: String = "http://127.0.0.1:9/v1") async throws -> SweepDefinition {
        let caseCount = max(1, jobs / models)
        // A 1×1 PNG shared by every case: images are stored once by hash.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        let cases = (0..<caseCount).map { index in
            DatasetCase(
                questionID: String(index), imageName: "bench.png", question: "Question \(index)?", category: "bench",
                safetyWarning: "", referenceAnswer: "", generationItem: .object(["question_id": .int(Int64(index))]),
                mcqa: MCQAItem(question: "Question \(index)?", options: ["A": "a", "B": "b"], correctOption: "A", item: .object([:])))
        }
        let dataset = LoadedDataset(name: "bench", cases: cases, images: [DatasetImage(name: "bench.png", bytes: png)!])
        try await DatasetStore(pool: pool).importDataset(dataset, replace: true)
        let definition = SweepDefinition(
            name: "bench", dataset: DatasetReference(name: "bench"), tasks: [.mcqa], samples: 1, maxAttempts: 5,
            models: (0..<models).map {
                ModelSpec(name: "bench-\($0)", provider: .mock, model: "bench-\($0)", baseURL: baseURL, rpm: 1e9, burst: 1e9)
            })
        _ = try await SweepStore(pool: pool).submit(definition)
        return definition
    }

    /// Back to `keep` queued jobs and no responses, for the next run.
    static func reset(pool: PostgresPool, keep: Int) async throws {
        try await pool.query("DELETE FROM responses")
        try await pool.query(
            """
            UPDATE jobs SET state = CASE WHEN id IN (SELECT id FROM jobs ORDER BY id LIMIT $1) THEN 'queued' ELSE 'cancelled' END,
                   lease_token = NULL, lease_expires_at = NULL, attempts = 0, finished_at = NULL, not_before = now()
            """, [keep])
        try await pool.query("VACUUM ANALYZE jobs")
    }

    static func result(for lease: JobLease) -> JobResult {
        JobResult(lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "A")], usage: Usage(requests: 1))
    }
}

/// The floor the API is measured against: claim and complete with plain SQL,
/// no HTTP, no fencing checks, no rate buckets. Like the API it claims one
/// model's jobs at a time along the queue's index (`jobs_runnable`), with
/// SKIP LOCKED, each client from a model of its own first (as the API's
/// token take spreads requests), writes a response per job and marks the
/// jobs done.
struct RawSQLLoop {
    let pool: PostgresPool
    let clients: Int
    let batch: Int

    func run() async throws {
        let models = try await pool.query("SELECT id FROM models ORDER BY id").map { try $0.decode(Int64.self, "id") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    // Each client starts at a model of its own, as the API's token take spreads lease requests.
                    let start = Int.random(in: 0..<max(1, models.count))
                    var remaining = (models[start...] + models[..<start])[...]
                    while let model = remaining.first {
                        let claimed = try await pool.query(
                            """
                            UPDATE jobs SET state = 'leased', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '1 minute'
                            WHERE id IN (SELECT id FROM jobs WHERE model_id = $1 AND state = 'queued' AND lane = 'live' AND not_before <= now()
                                         ORDER BY priority DESC, id LIMIT $2 FOR UPDATE SKIP LOCKED)
                            RETURNING id
                            """, [model, batch])
                        if claimed.isEmpty {
                            remaining = remaining.dropFirst()
                            continue
                        }
                        let ids = PostgresTextArray(try claimed.map { String(try $0.decode(Int64.self, "id")) })
                        try await pool.withTransaction { connection in
                            try await connection.query(
                                """
                                INSERT INTO responses (job_id, sample_index, outcome, text)
                                SELECT id, 0, 'answer', 'A' FROM unnest($1::bigint[]) AS t(id)
                                """, [ids])
                            try await connection.query(
                                """
                                UPDATE jobs SET state = 'done', lease_token = NULL, lease_expires_at = NULL, finished_at = now()
                                WHERE id = ANY($1::bigint[])
                                """, [ids])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
