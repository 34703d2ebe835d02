import Coordinator
import Foundation
import Logging
import MockProvider
import Shared
import SiuoTestSupport
import Synchronization
import Testing
import Worker

/// The crash the intent record exists for: a worker dies between the
/// provider's answer to "create this batch" and the write that records it.
/// The next worker must find that batch at the provider, not send another.
/// Real coordinator API and database, real mock batch APIs, real libcurl; the
/// crash is a coordinator seam that loses the first report.
@Suite struct BatchRecoveryTests {
    /// The coordinator as a worker that dies right after its submission sees it:
    /// the `submitted` report never arrives.
    final class LosesFirstSubmittedReport: WorkerCoordinator {
        let real: CoordinatorClient
        let lost = Mutex(false)

        init(real: CoordinatorClient) {
            self.real = real
        }

        func reportBatch(_ batchID: Int64, _ report: BatchReport) async throws -> Bool {
            if case .submitted = report.outcome,
                lost.withLock({ lost in
                    defer { lost = true }
                    return !lost
                })
            {
                return true
            }
            return try await real.reportBatch(batchID, report)
        }
        func endpoints() async throws -> [EndpointDescriptor] { try await real.endpoints() }
        func lease(_ request: LeaseRequest) async throws -> [JobLease] { try await real.lease(request) }
        func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemAnswer] { try await real.heartbeat(leases) }
        func complete(_ results: [JobResult]) async throws -> [ItemAnswer] { try await real.complete(results) }
        func fail(_ failures: [JobFailure]) async throws -> [ItemAnswer] { try await real.fail(failures) }
        func deferToBatch(_ deferrals: [JobDeferral]) async throws -> [ItemAnswer] { try await real.deferToBatch(deferrals) }
        func release(_ leases: [LeaseReference]) async throws -> [ItemAnswer] { try await real.release(leases) }
        func batchTask(_ request: BatchLeaseRequest) async throws -> BatchTask? { try await real.batchTask(request) }
        func renewBatch(_ batchID: Int64, leaseToken: UUID) async throws -> Bool { try await real.renewBatch(batchID, leaseToken: leaseToken) }
        func permits(_ requests: [PermitRequest]) async throws -> [PermitGrant] { try await real.permits(requests) }
        func cachedAnswers(_ keys: [String]) async throws -> [CachedAnswer] { try await real.cachedAnswers(keys) }
        func image(sha256: String) async throws -> [UInt8] { try await real.image(sha256: sha256) }
    }

    static let keys = KeyRing(environment: ["OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "sk-ant-test", "GEMINI_API_KEY": "g-test"])

    static func worker(_ id: String, _ coordinator: any WorkerCoordinator) -> BatchWorker {
        BatchWorker(
            workerID: id, coordinator: coordinator, keys: keys, images: ImageCache(fetch: { try await coordinator.image(sha256: $0) }),
            api: { BatchAPIs.make(for: $0, http: .shared, keys: keys, timeout: TestHTTP.hangLimit) }, logger: Logger(label: "test"))
    }

    @Test(arguments: [Provider.openai, .anthropic, .gemini])
    func anOrphanedSubmissionIsFoundAndNotSentAgain(provider: Provider) async throws {
        let pool = try await TestDatabase.pool(suite: "batch_recovery_\(provider.rawValue)")
        try await SweepFixture.importDataset(pool, cases: 3)
        var profile = MockModelProfile.defaults
        profile.batchDelaySeconds = 0.3
        let server = MockServer(seed: 3, config: MockConfig(defaults: profile))
        try await MockLoopback.with(server) { mockURL in
            let spec = ModelSpec(
                name: "batched", provider: provider, model: "batched", baseURL: provider == .openai ? mockURL + "/v1" : mockURL,
                maxTokens: 100, batch: BatchSettings(maxRequests: 100, maxBytes: 10_000_000, maxWaitSeconds: 1, deadlineSeconds: 3600))
            let definition = SweepDefinition(
                name: "recover", dataset: DatasetReference(name: "fixture"), tasks: [.mcqa], samples: 1, cache: false, models: [spec])
            try await SweepStore(pool: pool).submit(definition)
            let jobs = JobStore(pool: pool)
            let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: [spec.endpointKey], maxJobs: 10))
            _ = try await jobs.deferToBatch(
                leases.map {
                    JobDeferral(
                        lease: $0.reference, samples: [],
                        calls: [DeferredCall(firstSample: 0, count: 1, prompt: "MCQA prompt for job \($0.jobID)", temperature: 0, maxTokens: 5)],
                        usage: Usage())
                })

            try await TestCoordinator.with(pool: pool) { base in
                let client = TestCoordinator.worker(base)
                // The first worker submits, and "dies" before its report reaches the coordinator.
                let doomed = Self.worker("doomed", LosesFirstSubmittedReport(real: client))
                #expect(try await doomed.runOnce(endpoints: [spec.endpointKey]))
                let created = server.statistics()["batches"]?["created"]?[provider == .openai ? "openai" : provider.rawValue]
                #expect(created == .int(1))
                #expect(try await pool.query("SELECT provider_batch_id FROM batches")[0].decode(String?.self, "provider_batch_id") == nil)

                // Its lease lapses; the next worker is told to search first, and finds the batch.
                try await pool.query("UPDATE batches SET lease_expires_at = now() - interval '1 second', next_check_at = now(), submit_attempts = 1")
                let next = Self.worker("next", client)
                #expect(try await next.runOnce(endpoints: [spec.endpointKey]))
                #expect(server.statistics()["batches"]?["created"]?[provider == .openai ? "openai" : provider.rawValue] == .int(1), "not sent again")
                let recorded = try await pool.query("SELECT provider_batch_id, state FROM batches")[0]
                #expect(try recorded.decode(String?.self, "provider_batch_id") != nil && recorded.decode(String.self, "state") == "running")

                // It runs to the end: the jobs come back with their replies.
                try await waitUntil("the batched jobs come back", every: .milliseconds(100)) {
                    if try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'batched'") == 0 { return true }
                    _ = try await next.runOnce(endpoints: [spec.endpointKey])
                    return false
                }
                let back = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: [spec.endpointKey], maxJobs: 10))
                #expect(back.count == 3 && back.allSatisfy { $0.batchReplies.count == 1 && $0.batchReplies[0].status == 200 })
                #expect(server.statistics()["batches"]?["duplicate_paid_lines"] == .int(0))
            }
        }
    }
}
