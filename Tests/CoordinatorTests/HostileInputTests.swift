import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Hostile and bad input on the HTTP API (issue 7): every case gets a clear
/// error naming the field, and the database is byte-for-byte unchanged.
@Suite struct HostileInputTests {
    static let bodyRoutes = [
        "/v1/leases", "/v1/heartbeats", "/v1/results", "/v1/failures", "/v1/releases", "/v1/permits",
        "/v1/sweeps", "/v1/jobs/1/result", "/v1/jobs/1/failure",
    ]

    private static func token(for route: String) -> String {
        route == "/v1/sweeps" ? TestCoordinator.adminToken : TestCoordinator.workerToken
    }

    @Test func malformedAndTruncatedJSONOnEveryPOSTRouteIs400AndWritesNothing() async throws {
        try await HostileScene.with(suite: "hostile_malformed") { scene in
            let before = try await scene.fingerprint()
            let good = String(decoding: try HostileScene.wire(Batch([SweepFixture.result(for: scene.leases[0])])), as: UTF8.self)
            let bodies = [
                "", "{", "{\"items\": [", "nul", "{\"items\": [1 2]}", "\u{FEFF}{}x", "{'items': []}",
                String(good.prefix(good.count / 2)), String(good.dropLast()), good + "}", "\u{0}",
            ]
            for route in Self.bodyRoutes {
                for body in bodies {
                    let response = try await scene.raw("POST", route, token: Self.token(for: route), text: body)
                    #expect(response.status == 400, "\(route) \(body.prefix(40)): \(response.status)")
                    #expect(response.errorMessage.contains("not valid JSON"), "\(route) \(body.prefix(40)): \(response.text.prefix(200))")
                }
                // Valid JSON of the wrong shape names what is missing or wrong.
                for body in ["null", "[]", "\"items\"", "42", "{}"] {
                    let response = try await scene.raw("POST", route, token: Self.token(for: route), text: body)
                    #expect(response.status == 400, "\(route) \(body): \(response.status)")
                    #expect(!response.errorMessage.hasPrefix("<not an error body"), "\(route) \(body): \(response.text.prefix(200))")
                    #expect(!response.errorMessage.contains("field \"\""), "\(route) \(body): \(response.errorMessage)")
                }
            }
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func bodiesOverTheLimitAre413OnEveryPOSTRouteAndWriteNothing() async throws {
        try await HostileScene.with(suite: "hostile_huge") { scene in
            let before = try await scene.fingerprint()
            // Valid JSON that would decode fine were it not for its size.
            let huge = Array("{\"items\": [], \"pad\": \"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: (16 << 20) + 1) + Array("\"}".utf8)
            for route in Self.bodyRoutes {
                let response = try await scene.raw("POST", route, token: Self.token(for: route), body: huge)
                #expect(response.status == 413, "\(route): \(response.status)")
                #expect(response.errorMessage.contains("larger than"), "\(route): \(response.text.prefix(200))")
            }
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func wrongTypesNameTheField() async throws {
        try await HostileScene.with(suite: "hostile_types") { scene in
            let before = try await scene.fingerprint()
            let lease = scene.leases[0]
            let cases: [(String, String, String)] = [
                ("/v1/leases", #"{"worker_id": "w", "endpoints": [], "max_jobs": "x", "wait_ms": 0}"#, "max_jobs"),
                ("/v1/leases", #"{"worker_id": "w", "endpoints": {}, "max_jobs": 1, "wait_ms": 0}"#, "endpoints"),
                ("/v1/leases", #"{"worker_id": ["w"], "endpoints": [], "max_jobs": 1, "wait_ms": 0}"#, "worker_id"),
                ("/v1/leases", #"{"worker_id": "w", "endpoints": [], "max_jobs": 1e300, "wait_ms": 0}"#, "max_jobs"),
                ("/v1/heartbeats", #"{"items": {"job_id": 1}}"#, "items"),
                ("/v1/heartbeats", #"{"items": [{"job_id": 1, "lease_token": "not-a-uuid"}]}"#, "items[0].lease_token"),
                ("/v1/heartbeats", #"{"items": [{"job_id": "1", "lease_token": "\#(lease.leaseToken)"}]}"#, "items[0].job_id"),
                (
                    "/v1/results", #"{"items": [{"lease": {"job_id": 1, "lease_token": "\#(lease.leaseToken)"}, "samples": {}, "usage": {}}]}"#,
                    "items[0].samples"
                ),
                (
                    "/v1/failures", #"{"items": [{"lease": [], "retryable": true, "error": "e", "throttled": false, "samples": [], "usage": {}}]}"#,
                    "items[0].lease"
                ),
                (
                    "/v1/failures",
                    #"{"items": [{"lease": {"job_id": 1, "lease_token": "\#(lease.leaseToken)"}, "retryable": "yes", "error": "e", "throttled": false, "samples": [], "usage": {}}]}"#,
                    "items[0].retryable"
                ),
                ("/v1/releases", #"{"items": [], "retry_after_ms": "soon"}"#, "retry_after_ms"),
                ("/v1/permits", #"{"items": [{"endpoint": "openai", "count": 1}]}"#, "items[0].endpoint"),
                ("/v1/sweeps", #"{"definition": [], "replace": false}"#, "definition"),
                (
                    "/v1/sweeps",
                    try HostileScene.edited(SweepSubmission(definition: HostileScene.definition, replace: false)) {
                        var definition = $0["definition"] as! [String: Any]
                        definition["samples"] = "x"
                        $0["definition"] = definition
                    }, "definition.samples"
                ),
            ]
            for (route, body, field) in cases {
                let response = try await scene.raw("POST", route, token: Self.token(for: route), text: body)
                #expect(response.status == 400, "\(route) \(field): \(response.status) \(response.text.prefix(200))")
                #expect(response.errorMessage.contains("\"\(field)"), "\(route) \(field): \(response.text.prefix(300))")
            }
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func absurdLeaseLimitsAreRefusedOrBounded() async throws {
        try await HostileScene.with(suite: "hostile_limits", cases: 3) { scene in
            let before = try await scene.fingerprint()
            for (maxJobs, expected) in [("1e9", "at most 1000"), ("1000000000", "at most 1000"), ("0", "greater than 0"), ("-1", "greater than 0")] {
                let body = #"{"worker_id": "w", "endpoints": [], "max_jobs": \#(maxJobs), "wait_ms": 0}"#
                let response = try await scene.raw("POST", "/v1/leases", text: body)
                #expect(
                    response.status == 400 && response.errorMessage.contains("field \"max_jobs\": must be \(expected)")
                        || response.errorMessage.contains("field \"max_jobs\": \(expected)"),
                    "\(maxJobs): \(response.text)")
            }
            #expect(try await scene.fingerprint() == before)
            // wait_ms far past the cap, with work waiting: answered at once, not after 10^9 ms; a negative wait is refused.
            let endpoints = String(decoding: try JSONEncoder().encode(SweepFixture.endpoints(HostileScene.definition)), as: UTF8.self)
            for wait in ["1000000000", "9223372036854775807"] {
                let body = #"{"worker_id": "w", "endpoints": \#(endpoints), "max_jobs": 1, "wait_ms": \#(wait)}"#
                let response = try await scene.raw("POST", "/v1/leases", text: body)
                #expect(response.status == 200, "\(wait): \(response.text.prefix(200))")
            }
            let negative = try await scene.raw("POST", "/v1/leases", text: #"{"worker_id": "w", "endpoints": [], "max_jobs": 1, "wait_ms": -5}"#)
            #expect(negative.status == 400 && negative.errorMessage.contains("wait_ms"))
        }
    }

    @Test func absurdSweepDefinitionsAre400NamingTheFieldAndWriteNothing() async throws {
        try await HostileScene.with(suite: "hostile_definitions") { scene in
            let before = try await scene.fingerprint()
            var named = HostileScene.definition
            named.name = "other"
            func edited(_ edit: @escaping (inout [String: Any]) -> Void) throws -> String {
                try HostileScene.edited(SweepSubmission(definition: named, replace: false)) {
                    var definition = $0["definition"] as! [String: Any]
                    edit(&definition)
                    $0["definition"] = definition
                }
            }
            func model(_ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
                { definition in
                    var models = definition["models"] as! [[String: Any]]
                    models[0][key] = value
                    definition["models"] = models
                }
            }
            let cases: [(String, String)] = [
                (try edited { $0["samples"] = -1 }, "samples"),
                (try edited { $0["samples"] = 0 }, "samples"),
                (try edited { $0["samples"] = 1_000_000_000_000 }, "samples"),
                (try edited { $0["leaseTTLSeconds"] = 0 }, "lease_ttl_s"),
                (try edited { $0["leaseTTLSeconds"] = 9_000_000_000_000 }, "lease_ttl_s"),
                (try edited { $0["maxAttempts"] = 0 }, "max_attempts"),
                (try edited { $0["budgetUSD"] = -1 }, "budget_usd"),
                (try edited { $0["tasks"] = [String]() }, "tasks"),
                (try edited { $0["models"] = [[String: Any]]() }, "models"),
                (try edited(model("rpm", 0)), "models[0].rpm"),
                (try edited(model("tpm", -5)), "models[0].tpm"),
                (try edited(model("burst", 0)), "models[0].burst"),
                (try edited(model("maxInFlight", 0)), "models[0].max_in_flight"),
                (try edited(model("name", "../../etc")), "models[0].name"),
                (try edited(model("baseURL", "file:///etc/passwd")), "models[0].base_url"),
                (try edited { $0["judge"] = nil }, "judge"),
                (try edited { $0["dataset"] = ["name": "a/../b"] }, "dataset.name"),
            ]
            for (body, field) in cases {
                let response = try await scene.raw("POST", "/v1/sweeps", token: TestCoordinator.adminToken, text: body)
                #expect(response.status == 400, "\(field): \(response.status) \(response.text.prefix(300))")
                #expect(response.errorMessage.contains(field), "\(field): \(response.text.prefix(300))")
            }
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func absurdResultsAndFailuresAreRefusedOrHarmless() async throws {
        try await HostileScene.with(suite: "hostile_results") { scene in
            let lease = scene.leases[0]
            let before = try await scene.fingerprint()
            var negative = SweepFixture.result(for: lease)
            negative.usage = Usage(requests: -1, inputTokens: -1_000_000_000, outputTokens: -5)
            var outOfRange = SweepFixture.result(for: lease)
            outOfRange.samples[0].sampleIndex = -1
            var duplicated = SweepFixture.result(for: lease)
            duplicated.samples[1].sampleIndex = duplicated.samples[0].sampleIndex
            // Past what a job's integer columns can sum to.
            var countless = SweepFixture.result(for: lease)
            countless.usage = Usage(requests: 3_000_000_000)
            // A verdict belongs to a judge job only.
            var misplaced = SweepFixture.result(for: lease)
            misplaced.verdict = VerdictResult(value: 1, label: "True", judgeText: "True")
            for (result, expected) in [
                (negative, "usage"), (outOfRange, "sample_index"), (duplicated, "sample_index"), (countless, "usage"), (misplaced, "verdict"),
            ] {
                let response = try await scene.raw("POST", "/v1/results", body: try HostileScene.wire(Batch([result])))
                #expect(response.status == 400 && response.errorMessage.contains(expected), "\(expected): \(response.text.prefix(300))")
            }
            #expect(try await scene.fingerprint() == before)
            // A provider delay of 292 million years is accepted without a 500; the job stays fenced.
            let failure = JobFailure(
                lease: scene.leases[1].reference, retryable: true, error: "slow down", retryAfterMilliseconds: Int.max, throttled: true)
            let failed = try await scene.raw("POST", "/v1/failures", body: try HostileScene.wire(Batch([failure])))
            #expect(failed.status == 200, "\(failed.text.prefix(300))")
            let release = try await scene.raw(
                "POST", "/v1/releases", body: try HostileScene.wire(ReleaseRequest(items: [lease.reference], retryAfterMilliseconds: Int.max)))
            #expect(release.status == 200 && release.text.contains("accepted"), "\(release.text.prefix(300))")
        }
    }

    @Test func failuresWithImpossibleUsageAre400AndTheWholeBatchWritesNothing() async throws {
        try await HostileScene.with(suite: "hostile_failure_usage") { scene in
            let before = try await scene.fingerprint()
            // A valid failure first: the batch is refused whole, before anything is written.
            let valid = JobFailure(lease: scene.leases[0].reference, retryable: true, error: "HTTP 503")
            for usage in [Usage(inputTokens: 1 << 50), Usage(requests: -1), Usage(outputTokens: Int.max)] {
                let bad = JobFailure(lease: scene.leases[1].reference, retryable: true, error: "HTTP 503", usage: usage)
                let response = try await scene.raw("POST", "/v1/failures", body: try HostileScene.wire(Batch([valid, bad])))
                #expect(response.status == 400 && response.errorMessage.contains("usage"), "\(response.text.prefix(300))")
                #expect(try await scene.fingerprint() == before)
            }
        }
    }

    @Test func bodiesNestedAMillionDeepAreRefusedWithoutExhaustingTheStack() async throws {
        try await HostileScene.with(suite: "hostile_nesting") { scene in
            let before = try await scene.fingerprint()
            let deep = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
            for (route, body) in [
                ("/v1/results", #"{"items": [], "extra": \#(deep)}"#),
                ("/v1/results", #"{"items": [{"lease": \#(deep)}]}"#),
                ("/v1/failures", #"{"items": \#(deep)}"#),
            ] {
                let response = try await scene.raw("POST", route, text: body)
                #expect(response.status == 400, "\(route): \(response.text.prefix(300))")
            }
            #expect(try await scene.fingerprint() == before)
        }
    }

    @Test func aNULCharacterIsRefusedNamingTheFieldAndWritesNothing() async throws {
        try await HostileScene.with(suite: "hostile_nul") { scene in
            let before = try await scene.fingerprint()
            var result = SweepFixture.result(for: scene.leases[0])
            result.samples[1].text = "before\u{0}after"
            let batch = try await scene.raw("POST", "/v1/results", body: try HostileScene.wire(Batch([result])))
            #expect(batch.status == 400 && batch.errorMessage.contains("items[0].samples[1].text"), "\(batch.text.prefix(300))")
            let single = try await scene.raw("POST", "/v1/jobs/\(scene.leases[0].jobID)/result", body: try HostileScene.wire(result))
            #expect(single.status == 400 && single.errorMessage.contains("samples[1].text"), "\(single.text.prefix(300))")
            let failure = JobFailure(lease: scene.leases[0].reference, retryable: true, error: "x\u{0}y")
            let failed = try await scene.raw("POST", "/v1/failures", body: try HostileScene.wire(Batch([failure])))
            #expect(failed.status == 400 && failed.errorMessage.contains("items[0].error"), "\(failed.text.prefix(300))")
            var definition = HostileScene.definition
            definition.name = "nul"
            definition.cacheNamespace = "\u{0}"
            let submitted = try await scene.raw(
                "POST", "/v1/sweeps", token: TestCoordinator.adminToken,
                body: try HostileScene.wire(SweepSubmission(definition: definition, replace: false)))
            #expect(submitted.status == 400 && submitted.errorMessage.contains("definition.cacheNamespace"), "\(submitted.text.prefix(300))")
            let lease = #"{"worker_id": "w\u0000", "endpoints": [], "max_jobs": 1, "wait_ms": 0}"#
            let leased = try await scene.raw("POST", "/v1/leases", text: lease)
            #expect(leased.status == 400 && leased.errorMessage.contains("worker_id"), "\(leased.text.prefix(300))")
            #expect(try await scene.fingerprint() == before)
            // An escaped backslash before u0000 is ordinary text, not a NUL.
            var text = SweepFixture.result(for: scene.leases[0])
            text.samples[0].text = #"\u0000"#
            #expect(try await scene.raw("POST", "/v1/results", body: try HostileScene.wire(Batch([text]))).status == 200)
            let stored = try await scene.pool.query("SELECT text FROM responses WHERE sample_index = 0 AND job_id = $1", [scene.leases[0].jobID])
            #expect(try stored[0].decode(String.self, "text") == #"\u0000"#)
            #expect(try await scene.fingerprint()["jobs"] != before["jobs"])
        }
    }
}
