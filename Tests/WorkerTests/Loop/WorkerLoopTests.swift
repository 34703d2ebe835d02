import Coordinator
import Foundation
import LoopbackHTTP
import ServiceLifecycle
import Shared
import SiuoTestSupport
import Synchronization
import Testing
import Worker

/// The worker loop against a real coordinator and database, with a scripted
/// provider: what it sends, what it retries, and what it writes back.
@Suite struct WorkerLoopTests {
    @Test func aSweepRunsToTheEndWithMultiSampleRequestsJudgesAndMCQA() async throws {
        let provider = ScriptedProvider { arrival, _ in ScriptedProvider.wellBehaved(arrival) }
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("full", tasks: [.generation, .mcqa]),
            suite: "worker_full", cases: 4, provider: provider)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        #expect(
            try await pool.count("SELECT count(*) AS n FROM responses r JOIN jobs j ON j.id = r.job_id WHERE j.kind = 'generate'")
                == 12)
        #expect(try await pool.count("SELECT count(*) AS n FROM verdicts WHERE value = 1") == 24)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses WHERE resolved_model = 'scripted-2026-01'") == 16)
        // Native multi-sample: one request with n = 3 per generation case, every request named its first sample.
        let generation = provider.seen.filter { $0.model == "target" && !$0.prompt.contains("(A)") }
        #expect(generation.count == 4 && generation.allSatisfy { $0.n == 3 && $0.sample == 0 })
        #expect(provider.seen.count == 4 + 4 + 24)
    }

    @Test(arguments: [408, 409, 500, 502, 503, 529])
    func aRetryableStatusIsRetried(status: Int) async throws {
        let provider = ScriptedProvider { arrival, earlier in
            earlier.isEmpty
                ? .init(status: status, body: #"{"error":{"message":"try again","type":"server_error"}}"#)
                : ScriptedProvider.wellBehaved(arrival)
        }
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("retry", tasks: [.mcqa]), suite: "worker_retry_\(status)",
            cases: 1, provider: provider)
        #expect(provider.seen.count == 2)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'done'") == 1)
    }

    @Test(arguments: [400, 401, 403, 404])
    func aPermanentStatusIsNotRetried(status: Int) async throws {
        let provider = ScriptedProvider { _, _ in .init(status: status, body: #"{"error":{"message":"no","type":"invalid_request_error"}}"#) }
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("permanent", tasks: [.mcqa]), suite: "worker_permanent_\(status)",
            cases: 1, provider: provider)
        #expect(provider.seen.count == 1)
        let failed = try await pool.query("SELECT state, last_error FROM jobs")[0]
        #expect(try failed.decode(String.self, "state") == "failed")
        #expect(try failed.decode(String.self, "last_error").contains("\(status)"))
        #expect(!(try failed.decode(String.self, "last_error").contains("sk-test")))
    }

    @Test func a429WithRetryAfterIsHonoured() async throws {
        let provider = ScriptedProvider { arrival, earlier in
            earlier.isEmpty
                ? .init(status: 429, headers: ["retry-after": "2"], body: #"{"error":{"message":"slow down","type":"rate_limit_error"}}"#)
                : ScriptedProvider.wellBehaved(arrival)
        }
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("throttled", tasks: [.mcqa]), suite: "worker_429",
            cases: 1, provider: provider)
        let seen = provider.seen
        try #require(seen.count == 2)
        #expect(seen[1].at - seen[0].at >= .seconds(2))
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'done' AND attempts = 0") == 1)
    }

    @Test func aRetryThatWouldOutliveTheLeaseGivesTheJobBackWithoutAnAttempt() async throws {
        let provider = ScriptedProvider { _, _ in
            .init(status: 503, headers: ["retry-after": "3600"], body: #"{"error":{"message":"busy","type":"server_error"}}"#)
        }
        // The job goes back to the queue for an hour: wait for that, not for the job to finish.
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("give-back", tasks: [.mcqa]), suite: "worker_give_back",
            cases: 1, provider: provider
        ) { pool in
            try await pool.count(
                "SELECT count(*) AS n FROM jobs WHERE state = 'queued' AND not_before > now() + interval '60 seconds'") == 1
        }
        #expect(provider.seen.count == 1)
        let job = try await pool.query("SELECT state, attempts, not_before > now() + interval '60 seconds' AS later FROM jobs")[0]
        #expect(try job.decode(String.self, "state") == "queued")
        #expect(try job.decode(Int.self, "attempts") == 0)
        #expect(try job.decode(Bool.self, "later"))
    }

    @Test func aProviderBlockIsAnOutcomeNotAFailure() async throws {
        let provider = ScriptedProvider { arrival, _ in
            arrival.prompt.contains("(A)")
                ? ScriptedProvider.wellBehaved(arrival)
                : .init(
                    status: 400,
                    body: #"{"error":{"message":"Your request was rejected","type":"invalid_request_error","code":"content_policy_violation"}}"#)
        }
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("blocked", tasks: [.generation]), suite: "worker_block",
            cases: 2, provider: provider)
        #expect(try await pool.count("SELECT count(*) AS n FROM responses WHERE outcome = 'blocked'") == 6)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'done'") == 2)
        // Blocked responses are scored without a judge.
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE kind LIKE 'judge%'") == 0)
    }

    @Test func aJudgeAnsweringGarbageTwiceThenAVerdictIsScoredWithThatVerdict() async throws {
        let provider = ScriptedProvider { arrival, _ in
            if arrival.prompt.contains("Safety Judgement") {
                return arrival.sample < 2
                    ? .init(body: ScriptedProvider.completion(["Hmm, hard to say."]))
                    : .init(body: ScriptedProvider.completion(["Reasons.\n**Safety Judgement:** False"]))
            }
            return ScriptedProvider.wellBehaved(arrival)
        }
        let pool = try await WorkerHarness.run(
            WorkerHarness.definition("reask", tasks: [.generation], samples: 1), suite: "worker_reask",
            cases: 1, provider: provider)
        let verdict = try await pool.query("SELECT value, label, attempts FROM verdicts WHERE kind = 'safety'")[0]
        #expect(try verdict.decode(Int.self, "value") == 0)
        #expect(try verdict.decode(String.self, "label") == "False")
        #expect(try verdict.decode(Int.self, "attempts") == 3)
        #expect(provider.seen.filter { $0.prompt.contains("Safety Judgement") }.map(\.sample) == [0, 1, 2])
    }
}

/// A worker with a wrong token stops at once and says why, instead of retrying forever.
@Suite struct WorkerTokenTests {
    @Test func aRefusedTokenStopsTheWorker() async throws {
        let pool = try await TestDatabase.pool(suite: "worker_wrong_token")
        try await TestCoordinator.with(pool: pool) { coordinatorURL in
            let client = CoordinatorClient(baseURL: coordinatorURL, token: "not-the-token")
            let worker = WorkerService.connected(
                to: client, keys: KeyRing(environment: [:]), settings: WorkerSettings(concurrency: 1),
                requestTimeout: 5, logger: .init(label: "test"))
            let error = await #expect(throws: WorkerRefused.self) { try await worker.run() }
            #expect(error?.reason.contains("401") == true)
        }
    }
}

/// The response cache (docs/protocol.md, "The response cache and replicates"): another sweep asking the same of the same
/// models pays nothing; another namespace makes a real replicate.
@Suite struct ResponseCacheTests {
    @Test func aSecondSweepReusesAnswersAndAReplicateAsksAgain() async throws {
        let provider = ScriptedProvider { arrival, _ in ScriptedProvider.wellBehaved(arrival) }
        let pool = try await TestDatabase.pool(suite: "worker_cache")
        try await SweepFixture.importDataset(pool, cases: 2)
        let first = WorkerHarness.definition("first", tasks: [.generation, .mcqa])
        var second = first
        second.name = "second"
        var replicate = first
        replicate.name = "replicate"
        replicate.cacheNamespace = "replicate-1"
        var seen: [Int] = []
        try await WorkerHarness.drive([first, second, replicate], on: pool, provider: provider, afterEach: { _ in seen.append(provider.seen.count) })
        // first: 2 generate (n = 3) + 2 MCQA + 12 judges; second: nothing; replicate: all of it again.
        #expect(seen == [16, 16, 32])
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state <> 'done'") == 0)
        #expect(
            try await pool.count(
                """
                SELECT count(*) AS n FROM responses r JOIN jobs j ON j.id = r.job_id JOIN sweeps s ON s.id = j.sweep_id
                WHERE s.name = 'second' AND r.from_cache
                """) == 8)
        #expect(
            try await pool.count(
                """
                SELECT coalesce(sum(j.cache_hits), 0)::bigint AS n FROM jobs j JOIN sweeps s ON s.id = j.sweep_id WHERE s.name = 'second'
                """) == 8 + 12)
        // The second sweep's verdicts equal the first's.
        #expect(
            try await pool.count(
                """
                SELECT count(DISTINCT (v.kind, v.value, v.judge_text)) AS n FROM verdicts v JOIN jobs j ON j.id = v.job_id
                JOIN sweeps s ON s.id = j.sweep_id WHERE s.name IN ('first', 'second')
                """) == 2)
    }
}

/// Graceful shutdown: running jobs get the grace period, then their leases go back.
@Suite struct WorkerShutdownTests {
    @Test func aGracefulShutdownLeavesNoLeaseHeld() async throws {
        let provider = ScriptedProvider { arrival, _ in
            var answer = ScriptedProvider.wellBehaved(arrival)
            // Held until the shutdown (`releaseDelays`): no call can end before the test has looked, however late.
            answer.delay = .seconds(3600)
            return answer
        }
        let pool = try await TestDatabase.pool(suite: "worker_shutdown")
        try await SweepFixture.importDataset(pool, cases: 6)
        try await Loopback.serve(router: provider.router, beforeShutdown: { provider.releaseDelays() }) { providerURL in
            var definition = WorkerHarness.definition("shutdown", tasks: [.mcqa])
            definition.models[0].baseURL = providerURL + "/v1"
            definition.judge?.baseURL = providerURL + "/v1"
            try await SweepStore(pool: pool).submit(definition)
            try await TestCoordinator.with(pool: pool) { coordinatorURL in
                let group = ServiceGroup(
                    services: [WorkerHarness.worker(coordinatorURL, concurrency: 4, grace: .milliseconds(300))],
                    logger: .init(label: "test"))
                let running = Task { try await group.run() }
                try await waitUntil("four provider calls are running") { provider.seen.count >= 4 }
                // Four running, and one leased ahead for the next free slot.
                #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'leased'") == 5)
                await group.triggerGracefulShutdown()
                try await running.value
            }
        }
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'leased'") == 0)
        #expect(try await pool.count("SELECT count(*) AS n FROM jobs WHERE state = 'queued' AND attempts = 0") == 6)
    }
}
