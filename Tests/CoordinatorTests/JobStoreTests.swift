import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

@Suite struct JobStoreTests {
    /// A database of its own for `suite` holding `cases` fixture cases and the sweep `definition`: its
    /// pool, a job store, and a request for up to `maxJobs` jobs on every endpoint of the sweep.
    private func queued(
        _ suite: String, cases: Int, _ definition: SweepDefinition, maxJobs: Int
    ) async throws -> (PostgresPool, JobStore, LeaseRequest) {
        let pool = try await TestDatabase.pool(suite: suite)
        try await SweepFixture.importDataset(pool, cases: cases)
        _ = try await SweepStore(pool: pool).submit(definition)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: maxJobs)
        return (pool, JobStore(pool: pool), request)
    }

    @Test func aGenerateResultCreatesJudgeJobsForGradableAnswersOnly() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_flow")
        try await SweepFixture.importDataset(pool, cases: 1)
        var definition = SweepFixture.definition(models: 1, tasks: [.generation], samples: 3)
        definition.fallbackJudge = SweepFixture.model("fallback")
        _ = try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 10)

        let lease = try #require(try await jobs.claim(request).first)
        #expect(lease.kind == .generate && lease.samples == 3 && lease.samplesReceived == [] && lease.attempt == 1)
        #expect(lease.testCase.question == "Question 0?" && SHA256Hex.isValid(lease.testCase.imageSHA256))
        #expect(lease.model.name == "model-0" && lease.permits == 1)
        let samples = [
            SampleResult(sampleIndex: 0, outcome: .answer, text: "a real answer"),
            SampleResult(sampleIndex: 1, outcome: .refusal, text: ""),
            // Blank by Unicode's White_Space, which a trim of spaces alone would have sent to the judge.
            SampleResult(sampleIndex: 2, outcome: .answer, text: " \n\t\u{00A0}\u{3000} "),
        ]
        #expect(try await jobs.complete([JobResult(lease: lease.reference, samples: samples)]) == [.accepted])
        // One gradable answer → one safety and one effectiveness job, graded first.
        let judges = try await jobs.claim(request)
        #expect(judges.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.judgeEffectiveness, .judgeSafety])
        #expect(judges.allSatisfy { $0.response == GradedResponse(sampleIndex: 0, text: "a real answer") && $0.model.name == "judge" })
        #expect(judges.allSatisfy { $0.fallbackModel?.name == "fallback" } && lease.fallbackModel == nil)
        #expect(judges.first { $0.kind == .judgeSafety }?.testCase.safetyWarning == "Warning 0.")
        #expect(judges.first { $0.kind == .judgeEffectiveness }?.testCase.safetyWarning == nil)
        // The fallback judge gave one of the two verdicts: the verdict names it as its judging model.
        var verdicts = judges.map { SweepFixture.result(for: $0) }
        verdicts[0].verdict?.byFallbackJudge = true
        #expect(try await jobs.complete(verdicts) == [.accepted, .accepted])
        let roles = try await pool.query("SELECT m.role FROM verdicts v JOIN models m ON m.id = v.judge_model_id ORDER BY m.role")
        #expect(try roles.map { try $0.decode(String.self, "role") } == ["fallback_judge", "judge"])
        let status = try await SweepStore(pool: pool).status("sweep")
        #expect(status.state == .done)
        #expect(status.models["model-0"]?["judge_safety"] == KindCounts(total: 1, done: 1))
        #expect(try await pool.count("SELECT count(*) AS n FROM verdicts WHERE value = 1") == 2)
    }

    @Test func aStaleLeaseWritesNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_stale")
        try await SweepFixture.importDataset(pool, cases: 1)
        // An hour's lease: the real one is still live at the end, however late the test gets there.
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], leaseTTLSeconds: 3600)
        _ = try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let lease = try #require(try await jobs.claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 1)).first)
        var forged = SweepFixture.result(for: lease)
        forged.lease.leaseToken = UUID()
        #expect(try await jobs.complete([forged]) == [.stale])
        #expect(try await jobs.heartbeat([forged.lease]) == [.stale])
        #expect(try await jobs.fail([JobFailure(lease: forged.lease, retryable: false, error: "x")]) == [.stale])
        #expect(try await jobs.release([forged.lease]) == [.stale])
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == 0)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'leased'") == 1)
        #expect(try await jobs.heartbeat([lease.reference]) == [.accepted])
        #expect(try await jobs.complete([SweepFixture.result(for: lease)]) == [.accepted])
        #expect(try await jobs.complete([SweepFixture.result(for: lease)]) == [.stale])
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == 1)
    }

    @Test func anExpiredLeaseIsRescuedAndItsLateResultRefused() async throws {
        // Expiry is forced below, not waited for; an hour's lease cannot lapse before the test looks.
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], leaseTTLSeconds: 3600)
        let (pool, jobs, request) = try await queued("jobs_rescue", cases: 1, definition, maxJobs: 1)
        let lost = try #require(try await jobs.claim(request).first)
        #expect(try await jobs.rescueExpiredLeases() == 0)  // not expired yet
        try await pool.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second'")
        #expect(try await jobs.rescueExpiredLeases() == 1)
        let second = try #require(try await jobs.claim(request).first)
        #expect(second.jobID == lost.jobID && second.leaseToken != lost.leaseToken && second.attempt == 2)
        #expect(try await jobs.complete([SweepFixture.result(for: lost)]) == [.stale])
        #expect(try await jobs.complete([SweepFixture.result(for: second)]) == [.accepted])
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == 1)
    }

    @Test func aJobThatKeepsFailingEndsFailedAfterMaxAttempts() async throws {
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], maxAttempts: 3)
        let (pool, jobs, request) = try await queued("jobs_attempts", cases: 1, definition, maxJobs: 1)
        for attempt in 1...3 {
            try await pool.query("UPDATE jobs SET not_before = now()")  // skip the backoff wait
            let lease = try #require(try await jobs.claim(request).first)
            #expect(lease.attempt == attempt)
            #expect(try await jobs.fail([JobFailure(lease: lease.reference, retryable: true, error: "HTTP 503 #\(attempt)")]) == [.accepted])
        }
        let row = try await pool.query("SELECT state, attempts, last_error, not_before > now() AS waiting FROM jobs")[0]
        #expect(try row.decode(String.self, "state") == "failed")
        #expect(try row.decode(Int.self, "attempts") == 3)
        #expect(try row.decode(String.self, "last_error") == "HTTP 503 #3")
    }

    @Test func retryableFailuresWaitAndKeepReceivedSamples() async throws {
        let definition = SweepFixture.definition(models: 1, tasks: [.generation], samples: 3)
        let (pool, jobs, request) = try await queued("jobs_partial", cases: 1, definition, maxJobs: 1)
        let lease = try #require(try await jobs.claim(request).first)
        let partial = [SampleResult(sampleIndex: 0, outcome: .answer, text: "first")]
        _ = try await jobs.fail([
            JobFailure(lease: lease.reference, retryable: true, error: "reset", retryAfterMilliseconds: 60_000, samples: partial)
        ])
        #expect(try await jobs.claim(request).isEmpty)  // not before the provider's delay
        try await pool.query("UPDATE jobs SET not_before = now()")
        let retry = try #require(try await jobs.claim(request).first)
        #expect(retry.samplesReceived == [0])
        #expect(try await jobs.complete([SweepFixture.result(for: retry)]) == [.accepted])
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == 3)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses WHERE text = 'first'") == 1)
    }

    /// A result short of its job's samples is a failed attempt that keeps them. A later result that carries
    /// every sample again finishes its job without a count and keeps the stored sample as it was; one that
    /// carries only the missing samples finishes its job by counting what is stored.
    @Test func aShortResultIsAnAttemptThatKeepsItsSamplesAndAWholeOneFinishesTheJob() async throws {
        let definition = SweepFixture.definition(models: 1, tasks: [.generation], samples: 3)
        let (pool, jobs, request) = try await queued("jobs_short", cases: 2, definition, maxJobs: 2)
        let leases = try await jobs.claim(request)
        try #require(leases.count == 2)
        let short = leases.map {
            JobResult(lease: $0.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "first")], usage: Usage(requests: 1))
        }
        #expect(try await jobs.complete(short) == [.accepted, .accepted])
        let rows = try await pool.query("SELECT state, attempts, last_error FROM jobs WHERE kind = 'generate' ORDER BY id")
        for row in rows {
            #expect(try row.decode(String.self, "state") == "queued")
            #expect(try row.decode(Int.self, "attempts") == 1)
            #expect(try row.decode(String?.self, "last_error") == "the result held 1 of 3 samples")
        }
        try await pool.query("UPDATE jobs SET not_before = now()")  // skip the backoff wait
        let retries = try await jobs.claim(request)
        try #require(retries.count == 2)
        #expect(retries.allSatisfy { $0.samplesReceived == [0] })
        let whole = JobResult(
            lease: retries[0].reference,
            samples: (0..<3).map { SampleResult(sampleIndex: $0, outcome: .answer, text: "again \($0)") }, usage: Usage(requests: 3))
        #expect(try await jobs.complete([whole, SweepFixture.result(for: retries[1])]) == [.accepted, .accepted])
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE kind = 'generate' AND state = 'done' AND attempts = 1") == 2)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == 6)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses WHERE sample_index = 0 AND text = 'first'") == 2)
    }

    /// Each lease carries its own sweep's templates and cache namespace and its judge's prompts, read once
    /// per claim from a definition and judge settings large enough to be stored compressed; two sweeps
    /// leased side by side keep theirs apart.
    @Test func leasesCarryTheirSweepsTemplatesAndCacheNamespaceFromCompressedSettings() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_templates")
        try await SweepFixture.importDataset(pool, cases: 2)
        // Long enough that PostgreSQL compresses the judge's settings and the definition (about 2 kB).
        let rubric = String(repeating: "Grade with care and cite the rubric line you used. ", count: 60)
        var lab = SweepFixture.definition(name: "lab", models: 14, samples: 1)
        lab.prompts = PromptTemplates(generation: "Lab asks: {question}", mcqa: "Lab: {question}\n{options}")
        lab.cacheNamespace = "lab-7"
        lab.judge?.safetyPrompt = rubric + "{question} {safety_warning} {reference_answer} {response}"
        lab.judge?.effectivenessPrompt = rubric + "{question} {response}"
        var plain = SweepFixture.definition(name: "plain", models: 1, samples: 1)
        plain.models = [SweepFixture.model("plain-model")]
        plain.cache = false
        let sweeps = SweepStore(pool: pool)
        _ = try await sweeps.submit(lab)
        _ = try await sweeps.submit(plain)
        #expect(
            try await pool.count(
                """
                SELECT count(*) AS n FROM sweeps WHERE name = 'lab' AND pg_column_size(definition) < octet_length(definition::text)
                """) == 1, "the definition is stored compressed")
        #expect(
            try await pool.count(
                "SELECT count(*) AS n FROM models WHERE role = 'judge' AND pg_column_size(settings) < octet_length(settings::text)")
                == 1, "the lab judge's settings are stored compressed")
        let jobs = JobStore(pool: pool)
        let request = LeaseRequest(
            workerID: "w", endpoints: SweepFixture.endpoints(lab) + SweepFixture.endpoints(plain), maxJobs: 1_000)
        var leases: [JobLease] = []
        for _ in 0..<50 {
            let batch = try await jobs.claim(request)
            if batch.isEmpty { break }
            leases += batch
            #expect(try await jobs.complete(batch.map { SweepFixture.result(for: $0) }).allSatisfy { $0 == .accepted })
        }
        // 15 models × 2 cases × 2 tasks, then two judge jobs for each of their 30 answers.
        #expect(leases.count == 120)
        for lease in leases {
            let isLab = lease.sweep == "lab"
            #expect(lease.cacheNamespace == (isLab ? "lab-7" : nil), "job \(lease.jobID)")
            switch lease.kind {
            case .generate: #expect(lease.template == (isLab ? "Lab asks: {question}" : nil))
            case .mcqa: #expect(lease.template == (isLab ? "Lab: {question}\n{options}" : nil))
            case .judgeSafety:
                #expect(lease.template == (isLab ? lab.judge?.safetyPrompt : nil))
                #expect(lease.model.safetyPrompt == (isLab ? lab.judge?.safetyPrompt : nil))
            case .judgeEffectiveness: #expect(lease.template == (isLab ? lab.judge?.effectivenessPrompt : nil))
            }
        }
        #expect(Set(leases.filter { $0.kind == .mcqa }.map(\.model.name)) == Set((lab.models + plain.models).map(\.name)))
    }

    @Test func shutdownReleasesDoNotCountAsAttempts() async throws {
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        let (_, jobs, request) = try await queued("jobs_release", cases: 2, definition, maxJobs: 2)
        let leases = try await jobs.claim(request)
        #expect(try await jobs.release(leases.map(\.reference)) == [.accepted, .accepted])
        let again = try await jobs.claim(request)
        #expect(again.map(\.attempt) == [1, 1])
    }

    @Test func aBucketLimitsWhatIsLeasedAndPermitted() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_bucket")
        try await SweepFixture.importDataset(pool, cases: 9)
        // 60 rpm, no burst given: one token a second, one at a time.
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 60, burst: nil)
        _ = try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let endpoint = definition.models[0].endpointKey
        let request = LeaseRequest(workerID: "w", endpoints: [endpoint], maxJobs: 9)
        #expect(try await jobs.claim(request).count == 1)
        // Time is set in the bucket's row rather than waited for, so a slow
        // machine cannot let a refill in between: no refill until further notice...
        try await pool.query("UPDATE rate_buckets SET refilled_at = now() + interval '1 hour' WHERE model = 'model-0'")
        #expect(try await jobs.claim(request).count == 0)
        let grant = try await jobs.grantPermits([PermitRequest(endpoint: endpoint, count: 3)])[0]
        #expect(grant.granted == 0 && (grant.retryAfterMilliseconds ?? 0) > 0 && (grant.retryAfterMilliseconds ?? 0) <= 1000)
        let unknown = try await jobs.grantPermits([PermitRequest(endpoint: EndpointKey(provider: .openai, baseURL: "x", model: "y"), count: 1)])
        #expect(unknown == [PermitGrant(granted: 0, retryAfterMilliseconds: nil)])
        // ...then 1.1 s of refill: one token, the bucket's capacity.
        try await pool.query("UPDATE rate_buckets SET refilled_at = now() - interval '1.1 seconds' WHERE model = 'model-0'")
        #expect(try await jobs.grantPermits([PermitRequest(endpoint: endpoint, count: 3)])[0].granted == 1)
    }

    @Test func aTokensPerMinuteBudgetChargesEstimatesAndSettlesReportedUsage() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_tpm")
        try await SweepFixture.importDataset(pool, cases: 9)
        var definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 6000, burst: 100)
        definition.models[0].tpm = 60_000  // capacity: ten seconds' worth, 10,000 model tokens
        _ = try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let endpoint = definition.models[0].endpointKey
        // A full token budget, frozen in time: 10,000 tokens at a 2,000-token estimate buys 5 requests
        // (set here; the estimate submit gives a bucket is TokenEstimateStoreTests' business).
        try await pool.query(
            """
            UPDATE rate_buckets SET tpm_tokens = 10000, tpm_refilled_at = now() + interval '1 hour', tokens = 100, tokens_per_request = 2000
            WHERE model = 'model-0'
            """)
        let leases = try await jobs.claim(LeaseRequest(workerID: "w", endpoints: [endpoint], maxJobs: 9))
        #expect(leases.count == 5)
        #expect(try await jobs.grantPermits([PermitRequest(endpoint: endpoint, count: 1)])[0].granted == 0)
        // Each request really spent 500 tokens: 5 × 1,500 comes back, and the estimate moves toward 500.
        let results = leases.map {
            JobResult(
                lease: $0.reference, samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "A")],
                usage: Usage(requests: 1, inputTokens: 400, outputTokens: 100))
        }
        #expect(try await jobs.complete(results) == Array(repeating: .accepted, count: 5))
        let bucket = try await pool.query("SELECT tpm_tokens, tokens_per_request FROM rate_buckets WHERE model = 'model-0'")[0]
        #expect(try bucket.decode(Double.self, "tpm_tokens") == 7500)
        #expect(try bucket.decode(Double.self, "tokens_per_request") == 0.8 * 2000 + 0.2 * 500)
        // 7,500 tokens at the new 1,700-token estimate: 4 more requests.
        #expect(try await jobs.grantPermits([PermitRequest(endpoint: endpoint, count: 9)])[0].granted == 4)
    }

    @Test func aThrottleHalvesTheRateAndPausesTheEndpoint() async throws {
        let definition = SweepFixture.definition(models: 1, tasks: [.mcqa], rpm: 600, burst: 10)
        let (pool, jobs, request) = try await queued("jobs_throttle", cases: 3, definition, maxJobs: 1)
        let lease = try #require(try await jobs.claim(request).first)
        let throttled = JobFailure(lease: lease.reference, retryable: true, error: "HTTP 429", retryAfterMilliseconds: 3_600_000, throttled: true)
        #expect(try await jobs.fail([throttled]) == [.accepted])
        // The pause runs for the provider's hour from the failure's own transaction time (the throttle's
        // time): measured on that clock, however slowly a loaded machine gets to the checks below.
        let bucket = try await pool.query(
            """
            SELECT current_rpm, extract(epoch FROM throttled_until - last_throttled_at)::float8 AS pause,
                   throttled_until > now() AS paused
            FROM rate_buckets WHERE model = 'model-0'
            """)[0]
        #expect(try bucket.decode(Double.self, "current_rpm") == 300)
        #expect(try bucket.decode(Double.self, "pause") == 3600)
        #expect(try bucket.decode(Bool.self, "paused"))
        #expect(try await jobs.claim(request).isEmpty)
        // A throttle is not the job's fault: no attempt counted.
        #expect(try await pool.count("SELECT attempts AS n FROM jobs WHERE id = $1", [lease.jobID]) == 0)
    }

    @Test func spendingTheBudgetStopsNewLeases() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_budget")
        try await SweepFixture.importDataset(pool, cases: 3)
        var definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
        definition.models[0].price = Price(inputPerMTok: 1_000_000, outputPerMTok: 0)  // $1 per input token
        definition.budgetUSD = 50
        _ = try await SweepStore(pool: pool).submit(definition)
        let jobs = JobStore(pool: pool)
        let request = LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 1)
        let lease = try #require(try await jobs.claim(request).first)
        _ = try await jobs.complete([SweepFixture.result(for: lease)])  // 100 input tokens: $100
        #expect(try await jobs.claim(request).isEmpty)
        #expect(try await pool.query("SELECT spent_usd FROM sweeps")[0].decode(Double.self, "spent_usd") == 100)
    }

    @Test func concurrentClaimersNeverShareAJobAndEveryJobGetsOneResult() async throws {
        let pool = try await TestDatabase.pool(suite: "jobs_concurrent", size: 8)
        try await SweepFixture.importDataset(pool, cases: 1250)
        let definition = SweepFixture.definition(models: 4, tasks: [.generation, .mcqa], samples: 1)
        #expect(try await SweepStore(pool: pool).submit(definition) == .created(jobs: 10_000))
        let jobs = JobStore(pool: pool)
        let holders = HeldJobs()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    let request = LeaseRequest(workerID: "w\(worker)", endpoints: SweepFixture.endpoints(definition), maxJobs: 100)
                    while true {
                        let leases = try await jobs.claim(request)
                        if leases.isEmpty { return }
                        try await holders.take(leases.map(\.jobID))
                        // Refusals need no judge, so the job count stays 10,000.
                        let statuses = try await jobs.complete(leases.map { SweepFixture.result(for: $0, outcome: .refusal) })
                        await holders.give(leases.map(\.jobID))
                        guard statuses.allSatisfy({ $0 == .accepted }) else { throw HeldJobs.Conflict(jobs: []) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await holders.everHeld == 10_000)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'done'") == 10_000)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses") == 10_000)
        #expect(try await pool.count("SELECT count(*) AS n FROM (SELECT job_id FROM responses GROUP BY job_id HAVING count(*) > 1) d") == 0)
    }
}

/// Which jobs are held right now; taking a held job is the bug under test.
actor HeldJobs {
    struct Conflict: Error { var jobs: [Int64] }
    private var held: Set<Int64> = []
    private(set) var everHeld = 0

    func take(_ ids: [Int64]) throws {
        let clash = ids.filter { held.contains($0) }
        guard clash.isEmpty else { throw Conflict(jobs: clash) }
        held.formUnion(ids)
        everHeld += ids.count
    }

    func give(_ ids: [Int64]) {
        held.subtract(ids)
    }
}
