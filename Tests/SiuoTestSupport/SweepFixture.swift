import Coordinator
import Foundation
import Shared

/// Sweeps over an imported fixture dataset, for store and API tests.
public enum SweepFixture {
    /// Imports a `DatasetFixture(count: cases)` as `dataset` into `pool`.
    public static func importDataset(_ pool: PostgresPool, name: String = "fixture", cases: Int = 3) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let paths = try DatasetFixture(count: cases).write(to: folder)
        let dataset = try DatasetLoader.load(name: name, generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
        try await DatasetStore(pool: pool).importDataset(dataset, replace: false)
    }

    /// A mock-provider model; `rpm: nil` leaves the bucket adaptive.
    public static func model(_ name: String, rpm: Double? = 1_000_000, burst: Double? = 1_000_000, price: Price? = nil) -> ModelSpec {
        ModelSpec(name: name, provider: .mock, model: name, baseURL: "http://127.0.0.1:9/v1", rpm: rpm, burst: burst, price: price)
    }

    /// A sweep over `dataset` with `models` target models and a mock judge.
    public static func definition(
        name: String = "sweep", dataset: String = "fixture", models: Int = 2,
        tasks: [SweepTask] = [.generation, .mcqa], samples: Int = 3, maxAttempts: Int = 3,
        leaseTTLSeconds: Int = 60, rpm: Double? = 1_000_000, burst: Double? = 1_000_000
    ) -> SweepDefinition {
        SweepDefinition(
            name: name, dataset: DatasetReference(name: dataset), tasks: tasks, samples: samples,
            leaseTTLSeconds: leaseTTLSeconds, maxAttempts: maxAttempts,
            models: (0..<models).map { model("model-\($0)", rpm: rpm, burst: burst) },
            judge: model("judge", rpm: rpm, burst: burst))
    }

    /// Every endpoint of `definition`, as a worker holding every key names them.
    public static func endpoints(_ definition: SweepDefinition) -> [EndpointKey] {
        (definition.models + definition.judges).map(\.endpointKey)
    }

    /// Claims jobs of `endpoints` (50 at a time, as `workerID`) and completes each with `answer`, until
    /// none is left or `count` are done (no limit with `nil`); returns how many it completed.
    @discardableResult
    public static func completeAll(
        _ pool: PostgresPool, endpoints: [EndpointKey], workerID: String = "fixture", count: Int? = nil,
        answer: (JobLease) -> JobResult = { SweepFixture.result(for: $0) }
    ) async throws -> Int {
        let jobs = JobStore(pool: pool)
        var done = 0
        while count.map({ done < $0 }) ?? true {
            let wanted = min(50, count.map { $0 - done } ?? 50)
            let leases = try await jobs.claim(LeaseRequest(workerID: workerID, endpoints: endpoints, maxJobs: wanted))
            if leases.isEmpty { break }
            _ = try await jobs.complete(leases.map(answer))
            done += leases.count
        }
        return done
    }

    /// A result for `lease`: `samples` answers (generate), one answer (mcqa) or a True verdict (judges).
    public static func result(for lease: JobLease, outcome: ResponseOutcome = .answer) -> JobResult {
        switch lease.kind {
        case .generate, .mcqa:
            let missing = (0..<lease.samples).filter { !lease.samplesReceived.contains($0) }
            return JobResult(
                lease: lease.reference,
                samples: missing.map {
                    SampleResult(sampleIndex: $0, outcome: outcome, text: outcome == .answer ? "answer \($0)" : "")
                }, usage: Usage(requests: 1, inputTokens: 100, outputTokens: 20))
        case .judgeSafety, .judgeEffectiveness:
            return JobResult(
                lease: lease.reference, verdict: VerdictResult(value: 1, label: "True", judgeText: "Safety Judgement: True"),
                usage: Usage(requests: 1))
        }
    }
}
