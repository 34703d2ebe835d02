import Foundation
import Shared
import Testing

@Suite struct WireCodingTests {
    private func lease(_ id: Int64, model: ModelSpec, fallback: ModelSpec? = nil) -> JobLease {
        JobLease(jobID: id, leaseToken: UUID(), expiresAt: Date(timeIntervalSince1970: 1_800_000_000.25), kind: .judgeSafety,
                 sweep: "s", attempt: 1, model: model,
                 testCase: LeasedCase(questionID: "1", category: "c", question: "q?", imageSHA256: String(repeating: "a", count: 64),
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
        let text = #"{"models": [], "leases": [{"job_id": 1, "lease_token": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "expires_at": "2026-01-01T00:00:00.000Z", "kind": "mcqa", "sweep": "s", "attempt": 1, "model": 3, "case": {"question_id": "1", "category": "c", "question": "q", "image_sha256": "x", "image_media_type": "image/png"}, "samples": 1, "samples_received": [], "permits": 1}]}"#
        #expect(throws: DecodingError.self) { try WireCoding.decoder().decode(LeaseGrant.self, from: Data(text.utf8)) }
    }
}
