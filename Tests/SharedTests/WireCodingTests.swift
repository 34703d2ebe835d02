import Foundation
import Shared
import Testing

@Suite struct WireCodingTests {
    private func lease(_ id: Int64, model: ModelSpec, fallback: ModelSpec? = nil) -> JobLease {
        JobLease(
            jobID: id, leaseToken: UUID(), expiresAt: Date(timeIntervalSince1970: 1_800_000_000.25), kind: .judgeSafety,
            sweep: "s", attempt: 1, model: model,
            testCase: LeasedCase(
                questionID: "1", category: "c", question: "q?", imageSHA256: String(repeating: "a", count: 64),
                imageMediaType: "image/png", safetyWarning: "w", referenceAnswer: "r", options: nil),
            samples: 1, samplesReceived: [], response: GradedResponse(sampleIndex: 0, text: "t"), template: nil,
            fallbackModel: fallback, permits: 1)
    }

    @Test func aGrantSendsEachModelOnceAndRoundTrips() throws {
        let judge = ModelSpec(name: "judge", provider: .openai, model: "gpt-4o", temperature: 0)
        let fallback = ModelSpec(name: "fallback", provider: .anthropic, model: "claude")
        let grant = LeaseGrant(leases: (1...50).map { lease($0, model: judge, fallback: fallback) })
        let data = Data(try grant.json())
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect((object["models"] as? [Any])?.count == 2)
        let decoded = try WireCoding.decoder().decode(LeaseGrant.self, from: data)
        #expect(decoded.leases == grant.leases)
    }

    @Test func aLeaseNamingAMissingModelIsRefused() throws {
        let text =
            #"{"models": [], "leases": [{"job_id": 1, "lease_token": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "expires_at": "2026-01-01T00:00:00.000Z", "kind": "mcqa", "sweep": "s", "attempt": 1, "model": 3, "case": {"question_id": "1", "category": "c", "question": "q", "image_sha256": "x", "image_media_type": "image/png"}, "samples": 1, "samples_received": [], "permits": 1}]}"#
        #expect(throws: DecodingError.self) { try WireCoding.decoder().decode(LeaseGrant.self, from: Data(text.utf8)) }
    }

    @Test func theFastReadsReadWhatTheWritersWriteAndWhatJSONDecoderReads() throws {
        let judge = ModelSpec(name: "judge", provider: .openai, model: "gpt-4o", temperature: 0, params: ["seed": .int(3)])
        let fallback = ModelSpec(name: "fallback", provider: .anthropic, model: "claude")
        var mcqa = lease(7, model: judge)
        mcqa.kind = .mcqa
        mcqa.testCase.options = ["A": "a \"quoted\" option", "B": "b/ü 🙂"]
        mcqa.samplesReceived = [0, 2]
        mcqa.template = "line\nbreak\ttab \u{1}"
        mcqa.cacheNamespace = ""
        mcqa.ttlSeconds = 60
        let grant = LeaseGrant(leases: [lease(1, model: judge, fallback: fallback), mcqa])
        #expect(try LeaseGrant.read(try grant.json()).leases == grant.leases)
        #expect(try LeaseGrant.read(Array(try WireCoding.encoder().encode(FoundationGrant(grant)))).leases == grant.leases)

        let results = [
            JobResult(
                lease: LeaseReference(jobID: 1, leaseToken: UUID()),
                samples: [
                    SampleResult(sampleIndex: 0, outcome: .answer, text: "é\u{0}\\ \"x\" 🙂", finishReason: "stop", cacheKey: "k"),
                    SampleResult(sampleIndex: 1, outcome: .blocked, text: "", fromCache: true),
                ],
                usage: Usage(requests: 2, retries: 1, cacheHits: 0, inputTokens: 10, outputTokens: -3)),
            JobResult(
                lease: LeaseReference(jobID: 2, leaseToken: UUID()),
                verdict: VerdictResult(value: nil, label: nil, judgeText: "unsure", attempts: 3, byFallbackJudge: true)),
        ]
        #expect(try JobResult.readBatch(JobResult.batchJSON(results)) == results)
        #expect(try JobResult.readBatch(Array(try WireCoding.encoder().encode(Batch(results)))) == results)
        let answers = [ItemAnswer(jobID: 1, status: .accepted), ItemAnswer(jobID: 2, status: .stale)]
        #expect(try ItemAnswer.readBatch(ItemAnswer.batchJSON(answers)) == answers)
        #expect(try WireCoding.decoder().decode(Batch<ItemAnswer>.self, from: Data(ItemAnswer.batchJSON(answers))).items == answers)
    }

    @Test func theFastReadsLeaveAnythingUnexpectedToJSONDecoder() throws {
        let token = "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"
        let usage = #""usage": {"requests": 1, "retries": 0, "cache_hits": 0, "input_tokens": 0, "output_tokens": 0}"#
        let good = #"{"items": [{"lease": {"job_id": 1, "lease_token": "\#(token)"}, "samples": [], \#(usage)}]}"#
        #expect(try JobResult.readBatch(Array(good.utf8)).count == 1)
        let unreadable = [
            #"{"items": [{"lease": {"job_id": 1, "lease_token": "\#(token)"}, "samples": []}]}"#,  // no usage
            #"{"items": [{"lease": {"job_id": 1.5, "lease_token": "\#(token)"}, "samples": [], \#(usage)}]}"#,
            #"{"items": [{"lease": {"job_id": 99999999999999999999, "lease_token": "\#(token)"}, "samples": [], \#(usage)}]}"#,
            #"{"items": [{"lease": {"job_id": "1", "lease_token": "\#(token)"}, "samples": [], \#(usage)}]}"#,
            #"{"items": [{"lease": {"job_id": 1, "lease_token": "not a uuid"}, "samples": [], \#(usage)}]}"#,
            good + " {}",
            String(good.dropLast()),
        ]
        for text in unreadable {
            #expect(throws: JSONBytesReader.Unreadable.self, "\(text)") { try JobResult.readBatch(Array(text.utf8)) }
        }
        var invalidUTF8 = Array(good.utf8)
        invalidUTF8.insert(0xFF, at: invalidUTF8.count - 3)
        #expect(throws: JSONBytesReader.Unreadable.self) { try JobResult.readBatch(invalidUTF8) }
    }
}

/// A grant as `JSONEncoder` writes one, to show the fast read takes both.
private struct FoundationGrant: Encodable {
    var models: [ModelSpec]
    var leases: [JSONValue]

    init(_ grant: LeaseGrant) throws {
        let written = try WireCoding.decoder().decode(JSONValue.self, from: Data(try grant.json()))
        models = try WireCoding.decoder().decode([ModelSpec].self, from: Data(try WireCoding.encoder().encode(written["models"]!)))
        guard case .array(let leases) = written["leases"]! else { throw CocoaError(.coderInvalidValue) }
        self.leases = leases
    }
}
