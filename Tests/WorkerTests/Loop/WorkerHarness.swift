import Coordinator
import Foundation
import Logging
import LoopbackHTTP
import ServiceLifecycle
import Shared
import SiuoTestSupport
import Testing
import Worker

/// A real coordinator, database and worker service in this process, with a
/// scripted provider on loopback.
enum WorkerHarness {
    static let keyVariable = "SCRIPTED_PROVIDER_KEY"

    /// A sweep whose target and judge call the scripted provider with the OpenAI wire format.
    static func definition(
        _ name: String, tasks: [SweepTask], samples: Int = 3,
        maxAttempts: Int = 3
    ) -> SweepDefinition {
        func model(_ name: String) -> ModelSpec {
            ModelSpec(
                name: name, provider: .openai, model: name, baseURL: "http://replaced-when-the-provider-starts", apiKeyEnvironment: keyVariable,
                temperature: 1, maxTokens: 100, rpm: 1_000_000, burst: 1_000_000)
        }
        return SweepDefinition(
            name: name, dataset: DatasetReference(name: "fixture"), tasks: tasks, samples: samples,
            maxAttempts: maxAttempts, models: [model("target")], judge: model("judge"))
    }

    static func worker(_ coordinatorURL: String, concurrency: Int = 8, grace: Duration = .seconds(5)) -> WorkerService {
        let client = TestCoordinator.worker(coordinatorURL)
        let keys = KeyRing(environment: [keyVariable: "sk-test-not-a-real-key"])
        var settings = WorkerSettings(concurrency: concurrency, workerID: "test-worker")
        settings.gracePeriod = grace
        settings.leaseWait = .milliseconds(200)
        var logger = Logger(label: "test.worker")
        logger.logLevel = .warning
        return WorkerService.connected(to: client, keys: keys, settings: settings, requestTimeout: 600, logger: logger)
    }

    /// Imports `cases` fixture cases, submits `definition`, and runs a worker
    /// until the sweep has no queued or leased job left (or `limit` passes:
    /// then an issue is recorded and it throws).
    static func run(
        _ definition: SweepDefinition, suite: String, cases: Int, provider: ScriptedProvider,
        limit: Duration = .seconds(600), until finished: @escaping (PostgresPool) async throws -> Bool = noOpenJobs
    ) async throws -> PostgresPool {
        let pool = try await TestDatabase.pool(suite: suite)
        try await SweepFixture.importDataset(pool, cases: cases)
        try await drive([definition], on: pool, provider: provider, limit: limit, until: finished)
        return pool
    }

    /// The usual end of a run: no job queued or leased.
    static func noOpenJobs(_ pool: PostgresPool) async throws -> Bool {
        try await pool.count("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased')") == 0
    }

    /// Submits each definition in turn (pointed at the scripted provider) and
    /// runs a worker until no job is queued or leased, before the next.
    static func drive(
        _ definitions: [SweepDefinition], on pool: PostgresPool, provider: ScriptedProvider,
        limit: Duration = .seconds(600), until finished: @escaping (PostgresPool) async throws -> Bool = noOpenJobs,
        afterEach: (Int) async throws -> Void = { _ in }
    ) async throws {
        try await Loopback.serve(router: provider.router, beforeShutdown: { provider.releaseDelays() }) { providerURL in
            try await TestCoordinator.with(pool: pool) { coordinatorURL in
                for (index, original) in definitions.enumerated() {
                    var definition = original
                    for model in definition.models.indices { definition.models[model].baseURL = providerURL + "/v1" }
                    definition.judge?.baseURL = providerURL + "/v1"
                    try await SweepStore(pool: pool).submit(definition)
                    let service = Self.worker(coordinatorURL)
                    let worker = Task { try await service.run() }
                    defer { worker.cancel() }
                    try await waitUntil("the worker finishes sweep \(definition.name)", limit: limit, every: .milliseconds(50)) {
                        try await finished(pool)
                    }
                    worker.cancel()
                    _ = await worker.result
                    try await afterEach(index)
                }
            }
        }
    }
}
