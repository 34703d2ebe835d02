import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Hostile text goes in and comes out unchanged; fencing and tokens hold
/// against requests crafted to get around them (issue 7).
@Suite struct HostileRoundTripTests {
    @Test func hostileCaseTextSurvivesImportLeaseAndResultVerbatim() async throws {
        let texts = HostileText.all
        let pool = try await TestDatabase.pool(suite: "hostile_roundtrip")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var fixture = DatasetFixture(count: texts.count)
        for (index, text) in texts.enumerated() {
            fixture.generation[index]["question"] = text
            fixture.generation[index]["category"] = index == 0 ? text : "self-harm"
            fixture.mcqa[index]["question"] = text
            fixture.mcqa[index]["category"] = index == 0 ? text : "self-harm"
            fixture.mcqa[index]["options"] = ["A": text, "B": "other"]
        }
        let paths = try fixture.write(to: folder)
        let dataset = try DatasetLoader.load(name: "fixture", generationFile: paths.gen, mcqaFile: paths.mcqa, imagesFolder: paths.images)
        try await DatasetStore(pool: pool).importDataset(dataset, replace: false)
        try await TestCoordinator.with(pool: pool) { base in
            let definition = SweepFixture.definition(models: 1, tasks: [.generation, .mcqa], samples: 1)
            _ = try await TestCoordinator.admin(base).submit(definition, replace: false)
            let worker = TestCoordinator.worker(base)
            let leases = try await worker.lease(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 100))
            #expect(leases.count == texts.count * 2)
            let byQuestion = Dictionary(grouping: leases, by: \.testCase.question)
            for text in texts { #expect(byQuestion[text]?.count == 2, "lost: \(text.prefix(30))") }
            #expect(leases.contains { $0.testCase.category == HostileText.sql })
            #expect(leases.filter { $0.kind == .mcqa }.allSatisfy { texts.contains($0.testCase.options?["A"] ?? "") })
            // The answers echo the hostile text back; the judge leases carry them verbatim.
            let results = leases.map { lease in
                var result = SweepFixture.result(for: lease)
                result.samples = result.samples.map {
                    SampleResult(
                        sampleIndex: $0.sampleIndex, outcome: .answer, text: lease.testCase.question,
                        finishReason: HostileText.sql)
                }
                return result
            }
            #expect(try await worker.complete(results).allSatisfy { $0.status == .accepted })
            let judges = try await worker.lease(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 100))
            #expect(judges.count == texts.count * 2)
            #expect(judges.allSatisfy { $0.kind.isJudge && $0.response?.text == $0.testCase.question })
            #expect(Set(judges.compactMap(\.response?.text)) == Set(texts))
        }
        let stored = try await pool.query("SELECT text, finish_reason FROM responses")
        #expect(Set(try stored.map { try $0.decode(String.self, "text") }) == Set(texts))
        #expect(try stored.allSatisfy { try $0.decode(String.self, "finish_reason") == HostileText.sql })
        // The tables a naive splice would have dropped are all still there.
        #expect(try await pool.query("SELECT count(*) AS n FROM jobs")[0].decode(Int.self, "n") > 0)
    }

    @Test func tokensMissingOrWrongAre401AndOtherRoles403WithoutDetail() async throws {
        try await HostileScene.with(suite: "hostile_tokens") { scene in
            let before = try await scene.fingerprint()
            let worker = TestCoordinator.workerToken
            let admin = TestCoordinator.adminToken
            let routes: [(String, String, String)] = [
                ("GET", "/v1/endpoints", worker), ("POST", "/v1/leases", worker), ("POST", "/v1/heartbeats", worker),
                ("POST", "/v1/results", worker), ("POST", "/v1/failures", worker), ("POST", "/v1/releases", worker),
                ("POST", "/v1/permits", worker), ("POST", "/v1/jobs/1/result", worker), ("POST", "/v1/jobs/1/failure", worker),
                ("GET", "/v1/images/" + String(repeating: "0", count: 64), worker),
                ("GET", "/v1/sweeps", admin), ("POST", "/v1/sweeps", admin), ("GET", "/v1/sweeps/hostile", admin),
                ("POST", "/v1/sweeps/hostile/cancel", admin), ("POST", "/v1/sweeps/hostile/pause", admin),
                ("POST", "/v1/sweeps/hostile/resume", admin), ("POST", "/v1/sweeps/hostile/retry-failed", admin),
                ("GET", "/v1/sweeps/hostile/report", admin), ("GET", "/v1/sweeps/hostile/export", admin),
            ]
            let secrets = [worker, admin, TestCoordinator.viewerToken, TestCoordinator.reviewerToken]
            for (method, path, right) in routes {
                // Valid tokens of roles the route does not admit: 403, naming the role and nothing else.
                let refused = right == worker ? [TestCoordinator.viewerToken, TestCoordinator.reviewerToken] : [worker]
                for other in refused where !(path.hasPrefix("/v1/images/") || (method == "GET" && right == admin && other != worker)) {
                    let response = try await scene.raw(
                        method, path, token: nil, body: Array("{}".utf8), headers: ["Authorization": "Bearer \(other)"])
                    #expect(response.status == 403, "\(method) \(path) other role: \(response.status)")
                    #expect(response.errorMessage.hasSuffix("token may not do this"), "\(method) \(path): \(response.text)")
                    #expect(!secrets.contains { response.text.contains($0) })
                }
                let attempts: [(String, [String: String])] = [
                    ("missing", [:]), ("empty", ["Authorization": "Bearer "]), ("wrong", ["Authorization": "Bearer guess-\(right)"]),
                    ("no scheme", ["Authorization": right]),
                    ("lower-case scheme", ["Authorization": "bearer \(right)"]), ("basic", ["Authorization": "Basic \(right)"]),
                    ("prefix only", ["Authorization": "Bearer \(right.dropLast())"]), ("doubled", ["Authorization": "Bearer \(right)\(right)"]),
                    ("second header", ["Authorization": "Bearer \(right)x", "X-Authorization": "Bearer \(right)"]),
                ]
                for (label, headers) in attempts {
                    let response = try await scene.raw(method, path, token: nil, body: Array("{}".utf8), headers: headers)
                    #expect(response.status == 401, "\(method) \(path) \(label): \(response.status)")
                    #expect(response.errorMessage == "missing or wrong bearer token", "\(method) \(path) \(label): \(response.text)")
                    #expect(!secrets.contains { response.text.contains($0) })
                    #expect(!response.headers.values.contains { value in secrets.contains { value.contains($0) } })
                }
            }
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func anotherJobsLeaseTokenIsStaleAndWritesNothing() async throws {
        try await HostileScene.with(suite: "hostile_fencing") { scene in
            let (a, b) = (scene.leases[0], scene.leases[1])
            let before = try await scene.fingerprint()
            var crossed = SweepFixture.result(for: a)
            crossed.lease = LeaseReference(jobID: a.jobID, leaseToken: b.leaseToken)
            let batch = try await TestCoordinator.worker(scene.base).complete([crossed])
            #expect(batch == [ItemAnswer(jobID: a.jobID, status: .stale)])
            let single = try await scene.raw("POST", "/v1/jobs/\(a.jobID)/result", body: try HostileScene.wire(crossed))
            #expect(single.status == 409 && single.errorMessage.contains("no longer current"), "\(single.text)")
            // B's id with B's token, posted to A's path, is refused for the mismatch.
            let misrouted = try await scene.raw("POST", "/v1/jobs/\(a.jobID)/result", body: try HostileScene.wire(SweepFixture.result(for: b)))
            #expect(misrouted.status == 400 && misrouted.errorMessage.contains("lease.job_id"), "\(misrouted.text)")
            var heartbeat = a.reference
            heartbeat.leaseToken = b.leaseToken
            #expect(try await TestCoordinator.worker(scene.base).heartbeat([heartbeat]) == [ItemAnswer(jobID: a.jobID, status: .stale)])
            let failure = JobFailure(
                lease: LeaseReference(jobID: a.jobID, leaseToken: b.leaseToken), retryable: false, error: "x",
                samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: "planted")])
            #expect(try await TestCoordinator.worker(scene.base).fail([failure]) == [ItemAnswer(jobID: a.jobID, status: .stale)])
            #expect(try await TestCoordinator.worker(scene.base).release([heartbeat]) == [ItemAnswer(jobID: a.jobID, status: .stale)])
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func resultsForACancelledSweepAreStaleAndWriteNothing() async throws {
        try await HostileScene.with(suite: "hostile_cancelled") { scene in
            _ = try await TestCoordinator.admin(scene.base).act("cancel", on: "hostile")
            let before = try await scene.fingerprint()
            let answers = try await TestCoordinator.worker(scene.base).complete(scene.leases.map { SweepFixture.result(for: $0) })
            #expect(answers.allSatisfy { $0.status == .stale })
            let single = try await scene.raw(
                "POST", "/v1/jobs/\(scene.leases[0].jobID)/result",
                body: try HostileScene.wire(SweepFixture.result(for: scene.leases[0])))
            #expect(single.status == 409)
            let failure = JobFailure(lease: scene.leases[1].reference, retryable: true, error: "late")
            #expect(try await TestCoordinator.worker(scene.base).fail([failure]).allSatisfy { $0.status == .stale })
            #expect(try await TestCoordinator.worker(scene.base).heartbeat(scene.leases.map(\.reference)).allSatisfy { $0.status == .stale })
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func unknownSweepNamesAre404NotServerErrors() async throws {
        let names = [
            "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "..", "%2e%2e%2f", "a%00b", "nope%2F", "%252F", "%ZZ", "%",
            "hostile%20", "hostile%2F..%2Fhostile", String(repeating: "a", count: 300), "%F0%9F%98%80", "%C0%AF",
        ]
        try await HostileScene.with(suite: "hostile_names") { scene in
            let before = try await scene.fingerprint()
            let actions = [
                ("GET", ""), ("POST", "/cancel"), ("POST", "/pause"), ("POST", "/resume"),
                ("POST", "/retry-failed"), ("GET", "/report"), ("GET", "/export"),
            ]
            for name in names {
                for (method, suffix) in actions {
                    let response = try await scene.raw(method, "/v1/sweeps/\(name)\(suffix)", token: TestCoordinator.adminToken)
                    #expect([400, 404].contains(response.status), "\(method) \(name)\(suffix): \(response.status) \(response.text.prefix(200))")
                }
                let image = try await scene.raw("GET", "/v1/images/\(name)")
                #expect([400, 404].contains(image.status), "image \(name): \(image.status)")
            }
            #expect(try await scene.fingerprint() == before)
        }
    }
}
