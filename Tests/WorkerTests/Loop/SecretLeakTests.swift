import Coordinator
import Foundation
import Logging
import LoopbackHTTP
import Shared
import SiuoTestSupport
import Synchronization
import Testing
import Worker

/// API keys and bearer tokens never reach the database, `/metrics`, an error
/// body or a log line, even when a provider echoes the key back (issue 7).
@Suite struct SecretLeakTests {
    /// Looks like an OpenAI key, so the pattern-based redaction knows it.
    static let targetKey = "sk-LEAKCHECK-target-0123456789abcdef"
    /// A local server's password: no known prefix, too short to look random.
    static let judgeKey = "LEAKCHECK-judge-pass"
    static let workerToken = "LEAKCHECK-worker-token"
    static let adminToken = "LEAKCHECK-admin-token"
    static let secrets = [targetKey, judgeKey, workerToken, adminToken]

    @Test func noSecretReachesTheDatabaseMetricsErrorBodiesOrLogs() async throws {
        let pool = try await TestDatabase.pool(suite: "secret_leak")
        try await SweepFixture.importDataset(pool, cases: 2)
        let logs = RecordedLog()
        let provider = ScriptedProvider { arrival, earlier in
            let echo =
                #"{"error": {"message": "Incorrect API key provided: %@. Authorization: Bearer %@", "type": "invalid_request_error", "code": "invalid_api_key"}}"#
            let key = arrival.model == "judge" ? Self.judgeKey : Self.targetKey
            let body = echo.replacingOccurrences(of: "%@", with: key)
            // The first call of each model fails echoing its key (retryable, then permanent); later calls succeed.
            let seenBefore = earlier.filter { $0.model == arrival.model }.count
            if seenBefore == 0 { return ScriptedProvider.Answer(status: 500, body: body) }
            if arrival.model == "judge" && seenBefore == 1 { return ScriptedProvider.Answer(status: 401, body: body) }
            return ScriptedProvider.wellBehaved(arrival)
        }
        var bodies: [String] = []
        var metrics = ""
        try await Loopback.serve(router: provider.router, beforeShutdown: { provider.releaseDelays() }) { providerURL in
            var definition = SweepFixture.definition(name: "leak", models: 1, tasks: [.generation, .mcqa], samples: 2, maxAttempts: 3)
            definition.models[0] = ModelSpec(
                name: "target", provider: .openai, model: "target", baseURL: providerURL + "/v1",
                apiKeyEnvironment: "TARGET_KEY", rpm: 1_000_000, burst: 1_000_000)
            definition.judge = ModelSpec(
                name: "judge", provider: .openai, model: "judge", baseURL: providerURL + "/v1",
                apiKeyEnvironment: "JUDGE_KEY", rpm: 1_000_000, burst: 1_000_000)
            let api = CoordinatorAPI(
                pool: pool, tokens: try APITokens(worker: Self.workerToken, admin: Self.adminToken),
                latestMigration: try Migrator(pool: pool).latestVersion)
            try await LoopbackServer.with(api) { base in
                let admin = CoordinatorClient(baseURL: base, token: Self.adminToken)
                _ = try await admin.submit(definition, replace: false)
                try await runWorker(base: base, pool: pool, logs: logs)
                bodies = try await errorBodies(base: base)
                metrics = try await TestHTTP.send(base + "/metrics").text
                bodies.append(try await admin.send("GET", "/v1/sweeps/leak/report?format=html", body: nil).text)
                bodies.append(try await admin.send("GET", "/v1/sweeps/leak/export", body: nil).text)
            }
        }
        // The echo really happened and was stored (redacted): the test exercised the path it guards.
        let errors = try await pool.query("SELECT count(*) AS n FROM jobs WHERE last_error LIKE '%Incorrect API key provided%'")
        #expect(try errors[0].decode(Int.self, "n") >= 1)
        #expect(!bodies.isEmpty && metrics.contains("siuo_results_total"))
        #expect(!logs.all.map(\.line).isEmpty)
        for secret in Self.secrets {
            #expect(try await columnsHolding(secret, pool: pool).isEmpty, "\(secret) stored in the database")
            #expect(!metrics.contains(secret), "\(secret) in /metrics")
            for body in bodies { #expect(!body.contains(secret), "\(secret) in an HTTP body: \(body.prefix(200))") }
            for line in logs.all.map(\.line) { #expect(!line.contains(secret), "\(secret) logged: \(line)") }
        }
    }

    /// Runs one worker holding both keys until no job is queued or leased.
    private func runWorker(base: String, pool: PostgresPool, logs: RecordedLog) async throws {
        let client = CoordinatorClient(baseURL: base, token: Self.workerToken)
        let keys = KeyRing(environment: ["TARGET_KEY": Self.targetKey, "JUDGE_KEY": Self.judgeKey])
        var settings = WorkerSettings(concurrency: 4, workerID: "leak-worker")
        settings.leaseWait = .milliseconds(200)
        var logger = logs.logger
        logger.logLevel = .trace
        let service = WorkerService.connected(to: client, keys: keys, settings: settings, requestTimeout: 600, logger: logger)
        let worker = Task { try await service.run() }
        defer { worker.cancel() }
        // Polling the database for the end, not timing a behaviour.
        try await waitUntil("no job is queued or leased", every: .milliseconds(50)) {
            let open = try await pool.query("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'leased')")
            return try open[0].decode(Int.self, "n") == 0
        }
        worker.cancel()
        _ = await worker.result
    }

    /// Error answers of every kind the API gives, bodies as received.
    private func errorBodies(base: String) async throws -> [String] {
        func send(_ method: String, _ path: String, token: String?, body: String?) async throws -> String {
            let response = try await TestHTTP.send(
                base + path, method: method, token: token, headers: ["Content-Type": "application/json"], text: body)
            #expect(response.status >= 400, "\(method) \(path) answered \(response.status)")
            return response.text + " " + response.headers.values.joined(separator: " ")
        }
        let stale = #"{"lease": {"job_id": 1, "lease_token": "00000000-0000-0000-0000-000000000000"}, "samples": [], "usage": {}}"#
        return [
            try await send("GET", "/v1/sweeps", token: Self.workerToken, body: nil),
            try await send("GET", "/v1/sweeps/no-such-sweep", token: Self.adminToken, body: nil),
            try await send("GET", "/v1/sweeps", token: Self.adminToken + "x", body: nil),
            try await send("POST", "/v1/leases", token: Self.workerToken, body: "{"),
            try await send("POST", "/v1/leases", token: Self.workerToken, body: #"{"worker_id": "w", "endpoints": [], "max_jobs": 0, "wait_ms": 0}"#),
            try await send("POST", "/v1/jobs/1/result", token: Self.workerToken, body: stale),
            try await send("GET", "/v1/sweeps/none", token: Self.adminToken, body: nil),
            try await send("GET", "/v1/images/none", token: Self.workerToken, body: nil),
        ]
    }

    /// Every text, jsonb and array column of every table that holds `secret`, as `table.column`.
    private func columnsHolding(_ secret: String, pool: PostgresPool) async throws -> [String] {
        let columns = try await pool.query(
            """
            SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'character varying', 'ARRAY', 'USER-DEFINED')
            """)
        #expect(columns.count > 10)
        var found: [String] = []
        for row in columns {
            let (table, column) = (try row.decode(String.self, "t"), try row.decode(String.self, "c"))
            let hits = try await pool.query("SELECT count(*) AS n FROM \"\(table)\" WHERE strpos(\"\(column)\"::text, $1) > 0", [secret])
            if try hits[0].decode(Int.self, "n") > 0 { found.append("\(table).\(column)") }
        }
        return found
    }
}
