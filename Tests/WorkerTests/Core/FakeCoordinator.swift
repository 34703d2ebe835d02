import Foundation
import Shared
import Synchronization
import Worker

/// A coordinator in memory for the worker's loop tests: a queue of jobs
/// leased with fresh tokens, fenced reports, and faults a test switches on.
/// No sockets, no database: what it checks is the worker's logic.
final class FakeCoordinator: WorkerCoordinator {
    struct State {
        var queued: [Int64] = []
        var leased: [Int64: LeaseReference] = [:]
        var done: [Int64: JobEnding] = [:]
        var released: [Int64] = []
        var deferred: [Int64] = []
        var failed: [Int64] = []
        var calls: [String: Int] = [:]
        /// Jobs whose failure reports are refused as invalid (the whole request answers 400).
        var invalidFailures: Set<Int64> = []
        /// While set, every report answers this status.
        var reportStatus: Int?
        /// While set, every lease call (batch tasks too) answers this status.
        var leaseStatus: Int?
        var ttlSeconds = 60
        /// Batch tasks handed out in order, one per ask.
        var batchTasks: [BatchTask] = []
        /// Batch reports received (those refused as invalid included).
        var batchReports: [BatchReport] = []
        /// A lines report naming any of these custom ids is refused as invalid (400).
        var invalidBatchLines: Set<String> = []
        /// What a batch lease renewal answers (`false`: the lease is gone).
        var batchRenewal = true
        /// How many batch reports to come fail as an unreachable coordinator would (503).
        var batchReportFailures = 0
        /// While set, heartbeat calls after this many answer 503.
        var heartbeatsBeforeFailing: Int?
    }

    let state: Mutex<State>
    static let endpoint = EndpointKey(provider: .openai, baseURL: "http://fake.invalid/v1", model: "fake")

    init(jobs: [Int64] = []) {
        state = Mutex(State(queued: jobs))
    }

    func read<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }
    func change(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    func endpoints() async throws -> [EndpointDescriptor] {
        count("endpoints")
        return [EndpointDescriptor(endpoint: Self.endpoint, apiKeyEnvironment: nil)]
    }

    func lease(_ request: LeaseRequest) async throws -> [JobLease] {
        count("lease")
        let granted: [LeaseReference] = try state.withLock { state in
            if let status = state.leaseStatus { throw CoordinatorClientError(status: status, message: "refused") }
            let taken = Array(state.queued.prefix(request.maxJobs))
            state.queued.removeFirst(taken.count)
            return taken.map { id in
                let lease = LeaseReference(jobID: id, leaseToken: UUID())
                state.leased[id] = lease
                return lease
            }
        }
        if granted.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        let ttl = read(\.ttlSeconds)
        return granted.map { Self.jobLease($0, ttlSeconds: ttl) }
    }

    func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemAnswer] {
        count("heartbeat")
        return try state.withLock { state in
            if let limit = state.heartbeatsBeforeFailing, state.calls["heartbeat", default: 0] > limit {
                throw CoordinatorClientError(status: 503, message: "unavailable")
            }
            return leases.map { ItemAnswer(jobID: $0.jobID, status: state.leased[$0.jobID] == $0 ? .accepted : .stale) }
        }
    }

    func complete(_ results: [JobResult]) async throws -> [ItemAnswer] {
        try report("complete", results.map(JobEnding.result))
    }

    func fail(_ failures: [JobFailure]) async throws -> [ItemAnswer] {
        try report("fail", failures.map(JobEnding.failure))
    }

    func release(_ leases: [LeaseReference]) async throws -> [ItemAnswer] {
        try report("release", leases.map(JobEnding.release))
    }

    func deferToBatch(_ deferrals: [JobDeferral]) async throws -> [ItemAnswer] {
        try report("defer", deferrals.map(JobEnding.deferral))
    }

    func batchTask(_ request: BatchLeaseRequest) async throws -> BatchTask? {
        count("batch_lease")
        return try state.withLock { state in
            if let status = state.leaseStatus { throw CoordinatorClientError(status: status, message: "refused") }
            return state.batchTasks.isEmpty ? nil : state.batchTasks.removeFirst()
        }
    }

    func renewBatch(_ batchID: Int64, leaseToken: UUID) async throws -> Bool {
        count("batch_renew")
        return read(\.batchRenewal)
    }

    func reportBatch(_ batchID: Int64, _ report: BatchReport) async throws -> Bool {
        count("batch_report")
        return try state.withLock { state in
            if state.batchReportFailures > 0 {
                state.batchReportFailures -= 1
                throw CoordinatorClientError(status: 503, message: "away")
            }
            state.batchReports.append(report)
            if case .lines(let lines, _) = report.outcome, lines.contains(where: { state.invalidBatchLines.contains($0.customID) }) {
                throw CoordinatorClientError(status: 400, message: "line is not a custom_id")
            }
            return true
        }
    }

    func permits(_ requests: [PermitRequest]) async throws -> [PermitGrant] {
        count("permits")
        return requests.map { PermitGrant(granted: $0.count, retryAfterMilliseconds: nil) }
    }

    func cachedAnswers(_ keys: [String]) async throws -> [CachedAnswer] {
        count("cache")
        return []
    }

    func image(sha256: String) async throws -> [UInt8] {
        count("image")
        return []
    }

    /// Fenced like the real one: an ending is written only for the current lease.
    private func report(_ route: String, _ endings: [JobEnding]) throws -> [ItemAnswer] {
        try state.withLock { state in
            state.calls[route, default: 0] += 1
            if let status = state.reportStatus { throw CoordinatorClientError(status: status, message: "unavailable") }
            if route == "fail", endings.contains(where: { state.invalidFailures.contains($0.jobID) }) {
                throw CoordinatorClientError(status: 400, message: "usage.input_tokens: out of range")
            }
            return endings.map { ending in
                guard state.leased[ending.jobID] == ending.lease else { return ItemAnswer(jobID: ending.jobID, status: .stale) }
                state.leased[ending.jobID] = nil
                switch ending {
                case .result: state.done[ending.jobID] = ending
                case .failure: state.failed.append(ending.jobID)
                case .release: state.released.append(ending.jobID)
                case .deferral: state.deferred.append(ending.jobID)
                }
                return ItemAnswer(jobID: ending.jobID, status: .accepted)
            }
        }
    }

    private func count(_ route: String) {
        state.withLock { $0.calls[route, default: 0] += 1 }
    }

    /// A lease for `reference` with the given lifetime, for a generate job of the fake endpoint.
    static func jobLease(_ reference: LeaseReference, ttlSeconds: Int = 60) -> JobLease {
        let model = ModelSpec(name: "fake", provider: .openai, model: "fake", baseURL: endpoint.baseURL)
        let testCase = LeasedCase(
            questionID: "S-\(reference.jobID)", category: "self-harm", question: "Q?", imageSHA256: "00",
            imageMediaType: "image/png", safetyWarning: nil, referenceAnswer: nil, options: nil)
        return JobLease(
            jobID: reference.jobID, leaseToken: reference.leaseToken, expiresAt: Date() + Double(ttlSeconds), kind: .generate,
            sweep: "fake", attempt: 1, model: model, testCase: testCase, samples: 1, samplesReceived: [], response: nil,
            template: nil, permits: 1, ttlSeconds: ttlSeconds)
    }
}

/// A job runner that answers at once, or waits for cancellation for the jobs
/// a test names and then takes `windDown` to stop (as a provider call being
/// torn down does).
final class ScriptedRunner: JobRunning {
    let hangs: Set<Int64>
    let windDown: Duration
    let cancelled = Mutex<[Int64]>([])

    init(hangs: Set<Int64> = [], windDown: Duration = .zero) {
        self.hangs = hangs
        self.windDown = windDown
    }

    func run(_ lease: JobLease, ttl: Duration) async -> JobEnding {
        if hangs.contains(lease.jobID) {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            cancelled.withLock { $0.append(lease.jobID) }
            // A detached task's sleep is not cut short by this task's cancellation.
            let windDown = self.windDown
            await Task.detached { try? await Task.sleep(for: windDown) }.value
            return .release(lease.reference)
        }
        return .result(JobResult(lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "A\(lease.jobID)")]))
    }
}

/// A runner whose jobs each wait, once started, until the test opens the gate (or the job is
/// cancelled), then answer; it records which jobs started.
final class GatedRunner: JobRunning {
    private let startedJobs = Mutex<[Int64]>([])
    private let gate = Mutex(false)

    /// The jobs that started, in order.
    var started: [Int64] { startedJobs.withLock { $0 } }

    /// Lets every job answer.
    func open() { gate.withLock { $0 = true } }

    func run(_ lease: JobLease, ttl: Duration) async -> JobEnding {
        startedJobs.withLock { $0.append(lease.jobID) }
        while !gate.withLock({ $0 }), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
        return .result(JobResult(lease: lease.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "A\(lease.jobID)")]))
    }
}
