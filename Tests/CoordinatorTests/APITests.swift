import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The HTTP API over real HTTP on loopback with the libcurl client.
@Suite struct APITests {
    /// One request as any HTTP client sends it (``TestHTTP``: its timeout bounds a hang, not the speed).
    private func raw(_ url: String, method: String = "GET", token: String? = nil, body: String? = nil) async throws -> HTTPClientResponse {
        try await TestHTTP.send(url, method: method, token: token, text: body)
    }

    @Test func tokensGuardEveryRouteButTheProbes() async throws {
        let pool = try await TestDatabase.pool(suite: "api_auth")
        try await TestCoordinator.with(pool: pool) { base in
            for path in ["/healthz", "/readyz", "/metrics"] {
                #expect(try await raw(base + path).status == 200)
            }
            #expect(try await raw(base + "/v1/sweeps").status == 401)
            #expect(try await raw(base + "/v1/sweeps", token: "wrong").status == 401)
            #expect(try await raw(base + "/v1/sweeps", token: "").status == 401)
            // A valid token whose role may not: 403, not 401.
            #expect(try await raw(base + "/v1/sweeps", token: TestCoordinator.workerToken).status == 403)
            #expect(try await raw(base + "/v1/sweeps", token: TestCoordinator.adminToken).status == 200)
            #expect(try await raw(base + "/v1/sweeps", token: TestCoordinator.viewerToken).status == 200)
            #expect(try await raw(base + "/v1/sweeps", token: TestCoordinator.reviewerToken).status == 200)
            #expect(try await raw(base + "/v1/endpoints", token: TestCoordinator.adminToken).status == 200)
            #expect(try await raw(base + "/v1/endpoints", token: TestCoordinator.workerToken).status == 200)
            #expect(try await raw(base + "/v1/endpoints", token: TestCoordinator.viewerToken).status == 403)
            #expect(try await raw(base + "/v1/endpoints", token: TestCoordinator.reviewerToken).status == 403)
            let submit = #"{"sweep": {}}"#
            #expect(try await raw(base + "/v1/sweeps", method: "POST", token: TestCoordinator.viewerToken, body: submit).status == 403)
            #expect(try await raw(base + "/v1/sweeps", method: "POST", token: TestCoordinator.reviewerToken, body: submit).status == 403)
            #expect(try await raw(base + "/v1/images/" + String(repeating: "0", count: 64), token: TestCoordinator.viewerToken).status == 404)
            let metrics = try await raw(base + "/metrics").text
            #expect(metrics.contains("siuo_leases_granted_total"))
            #expect(!metrics.contains(TestCoordinator.workerToken) && !metrics.contains(TestCoordinator.adminToken))
        }
    }

    @Test func aServedPathWithTheWrongMethodIs405WithAllow() async throws {
        let pool = try await TestDatabase.pool(suite: "api_methods")
        try await TestCoordinator.with(pool: pool) { base in
            let trace = try await raw(base + "/v1/leases", method: "TRACE", token: TestCoordinator.workerToken)
            #expect(trace.status == 405 && trace.headers["allow"] == "POST")
            let delete = try await raw(base + "/v1/sweeps", method: "DELETE", token: TestCoordinator.adminToken)
            #expect(delete.status == 405 && delete.headers["allow"] == "GET, POST", "\(delete.headers)")
            let labels = try await raw(base + "/v1/sweeps/any/labels", method: "POST", token: TestCoordinator.adminToken)
            #expect(labels.status == 405 && labels.headers["allow"] == "GET, PUT")
            // A path nothing serves, and a served path naming nothing, stay 404.
            #expect(try await raw(base + "/v1/nothing", token: TestCoordinator.adminToken).status == 404)
            #expect(try await raw(base + "/v1/sweeps/nope/report", token: TestCoordinator.adminToken).status == 404)
        }
    }

    @Test func eachRoleReachesExactlyItsRoutes() {
        let allowed: [APITokens.Access: Set<APITokens.Role>] = [
            .public: Set(APITokens.Role.allCases), .worker: [.worker, .admin], .read: [.viewer, .reviewer, .admin],
            .images: [.worker, .viewer, .reviewer, .admin], .label: [.reviewer, .admin], .admin: [.admin],
        ]
        for (access, roles) in allowed {
            for role in APITokens.Role.allCases { #expect(access.allows(role) == roles.contains(role), "\(access) \(role)") }
            #expect(access.allows(nil) == (access == .public))
        }
    }

    @Test func twoRolesCannotShareAToken() throws {
        #expect(throws: APITokens.SharedToken.self) { try APITokens(worker: "w", admin: "a", viewer: "a") }
        let tokens = try APITokens(worker: "w", admin: "a", viewer: "v", reviewer: "r")
        #expect(tokens.role(authorization: "Bearer v") == .viewer)
        #expect(tokens.role(authorization: "Bearer r") == .reviewer)
        #expect(tokens.role(authorization: "Bearer x") == nil && tokens.role(authorization: "v") == nil)
        #expect(try APITokens(worker: "w", admin: "a", viewer: "", reviewer: nil).role(authorization: "Bearer ") == nil)
    }

    @Test func badBodiesGetClearErrorsAndWriteNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "api_bodies")
        try await TestCoordinator.with(pool: pool) { base in
            let token = TestCoordinator.workerToken
            let malformed = try await raw(base + "/v1/leases", method: "POST", token: token, body: "{\"worker_id\": ")
            #expect(malformed.status == 400 && malformed.text.contains("not valid JSON"))
            let missing = try await raw(base + "/v1/leases", method: "POST", token: token, body: #"{"worker_id": "w", "endpoints": []}"#)
            #expect(missing.status == 400 && missing.text.contains("max_jobs"))
            let wrongType = try await raw(
                base + "/v1/leases", method: "POST", token: token,
                body: #"{"worker_id": "w", "endpoints": [], "max_jobs": "many", "wait_ms": 0}"#)
            #expect(wrongType.status == 400 && wrongType.text.contains("max_jobs"))
            let huge = "{\"items\": [\"" + String(repeating: "x", count: 17 << 20) + "\"]}"
            #expect(try await raw(base + "/v1/heartbeats", method: "POST", token: token, body: huge).status == 413)
            let unknown = try await raw(base + "/v1/sweeps/nope", token: TestCoordinator.adminToken)
            #expect(unknown.status == 404 && unknown.text.contains("nope"))
            #expect(try await raw(base + "/v1/images/" + String(repeating: "0", count: 64), token: token).status == 404)
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM sweeps")[0].decode(Int.self, "n") == 0)
    }

    @Test func aSweepRunsEndToEndOverHTTP() async throws {
        let pool = try await TestDatabase.pool(suite: "api_flow")
        try await SweepFixture.importDataset(pool, cases: 2)
        try await TestCoordinator.with(pool: pool) { base in
            let admin = TestCoordinator.admin(base)
            let worker = TestCoordinator.worker(base)
            let definition = SweepFixture.definition(models: 1, samples: 2)
            #expect(try await admin.submit(definition, replace: false) == SubmissionAnswer(outcome: .created, jobs: 4))
            #expect(try await admin.submit(definition, replace: false) == SubmissionAnswer(outcome: .resumed, jobs: 0))
            #expect(try await worker.endpoints().map(\.endpoint.model).sorted() == ["judge", "model-0"])
            let request = LeaseRequest(workerID: "w1", endpoints: SweepFixture.endpoints(definition), maxJobs: 50, waitMilliseconds: 0)
            while true {
                let leases = try await worker.lease(request)
                if leases.isEmpty { break }
                let image = try await worker.image(sha256: leases[0].testCase.imageSHA256)
                #expect(ImageMediaType.sniff(Data(image)) == .png)
                #expect(try await worker.heartbeat(leases.map(\.reference)).allSatisfy { $0.status == .accepted })
                let answers = try await worker.complete(leases.map { SweepFixture.result(for: $0) })
                #expect(answers.allSatisfy { $0.status == .accepted })
            }
            let status = try await admin.status("sweep")
            #expect(status.state == .done)
            // 2 generate + 2 mcqa + 2 cases × 2 answers × 2 judges.
            #expect(status.jobs == JobCounts(total: 12, done: 12))
            #expect(try await admin.sweeps().map(\.name) == ["sweep"])
        }
    }

    @Test func aStaleSingleItemWriteGets409AndChangesNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "api_stale")
        try await SweepFixture.importDataset(pool, cases: 1)
        try await TestCoordinator.with(pool: pool) { base in
            let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
            _ = try await TestCoordinator.admin(base).submit(definition, replace: false)
            let worker = TestCoordinator.worker(base)
            let lease = try #require(
                try await worker.lease(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 1)).first)
            var stale = SweepFixture.result(for: lease)
            stale.lease.leaseToken = UUID()
            let body = Array(try WireCoding.encoder().encode(stale))
            await #expect { try await worker.send("POST", "/v1/jobs/\(lease.jobID)/result", body: body) } throws: {
                ($0 as? CoordinatorClientError)?.status == 409
            }
            #expect(try await pool.query("SELECT count(*) AS n FROM responses")[0].decode(Int.self, "n") == 0)
            let good = Array(try WireCoding.encoder().encode(SweepFixture.result(for: lease)))
            #expect(try await worker.send("POST", "/v1/jobs/\(lease.jobID)/result", body: good).status == 200)
            await #expect { try await worker.send("POST", "/v1/jobs/\(lease.jobID)/result", body: good) } throws: {
                ($0 as? CoordinatorClientError)?.status == 409
            }
        }
    }

    /// A submit to the coordinator a lease request waits on wakes it at once, with no listener
    /// (`WorkNotificationTests` covers the wake-ups that come from other coordinators).
    @Test func aLongPollWakesWhenWorkArrives() async throws {
        let pool = try await TestDatabase.pool(suite: "api_longpoll")
        try await SweepFixture.importDataset(pool, cases: 1)
        try await TestCoordinator.with(pool: pool, leaseWait: WorkNotificationTests.slowRecheck) { base, api in
            let definition = SweepFixture.definition(models: 1, tasks: [.mcqa])
            let lease = Task { try await TestCoordinator.worker(base).lease(WorkNotificationTests.longPoll(definition)) }
            defer { lease.cancel() }
            try await waitUntil("the lease request waits") { api.signal.waiting > 0 }
            _ = try await TestCoordinator.admin(base).submit(definition, replace: false)
            let submitted = ContinuousClock.now
            #expect(try await lease.value.count == 1)
            // Only a wake-up returns this soon: the request would re-check only at the end of its
            // 600 s wait. (How fast is for a benchmark: a loaded test machine says nothing about it.)
            #expect(ContinuousClock.now - submitted < .seconds(300), "woken by the submit, not by the end of the wait")
        }
    }

    @Test func servedRoutesMatchTheOpenAPIFile() async throws {
        let pool = try await TestDatabase.pool(suite: "api_openapi")
        let api = CoordinatorAPI(pool: pool, tokens: try APITokens(worker: "w", admin: "a"), latestMigration: 1)
        let documented = try OpenAPIFile.operations(at: RepositoryPaths.root + "/docs/openapi.yaml")
        let served = Set(api.routes.map { "\($0.method) \($0.path)" })
        #expect(documented.subtracting(served).isEmpty, "documented but not served")
        #expect(served.subtracting(documented).isEmpty, "served but not documented")
        #expect(served.count == api.routes.count)
    }

    @Test func documentedStatesAreTheOnesTheCodeKnows() throws {
        let file = RepositoryPaths.root + "/docs/openapi.yaml"
        let sweepStates = SweepState.allCases.map(\.rawValue)
        #expect(try OpenAPIFile.enumValues(at: file, schema: "SweepStatus", property: "state") == sweepStates)
        #expect(try OpenAPIFile.enumValues(at: file, schema: "SweepReport", property: "state") == sweepStates)
        #expect(try OpenAPIFile.enumValues(at: file, schema: "BatchSummary", property: "state") == BatchState.allCases.map(\.rawValue))
    }

    @Test func aCoordinatorWithoutBothTokensRefusesToStart() {
        #expect(throws: APITokens.MissingTokens.self) { try APITokens(worker: "w", admin: nil) }
        #expect(throws: APITokens.MissingTokens.self) { try APITokens(worker: "", admin: "a") }
        let missing = #expect(throws: APITokens.MissingTokens.self) { try APITokens(worker: nil, admin: nil) }
        let message = missing.map { "\($0)" } ?? ""
        #expect(message.contains("SIUO_WORKER_TOKEN") && message.contains("SIUO_ADMIN_TOKEN"), "\(message)")
    }
}
