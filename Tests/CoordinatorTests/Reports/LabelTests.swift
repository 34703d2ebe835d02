import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Human labels: stored per reviewer and response, changeable, all or none, by role over HTTP.
@Suite struct LabelTests {
    private func send(_ method: String, _ url: String, token: String, body: String? = nil) async throws -> HTTPClientResponse {
        try await TestHTTP.send(url, method: method, token: token, headers: ["Content-Type": "application/json"], text: body)
    }

    @Test func labelsAreKeptPerReviewerChangeableAndNamedEitherWay() async throws {
        let pool = try await TestDatabase.pool(suite: "labels_store")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        let store = LabelStore(pool: pool)
        let sweep = ReportScenario.sweep
        #expect(try await store.labels(sweep).isEmpty)
        try await store.write(
            [
                HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "alice", safe: true, effectiveness: .very),
                HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "bob", safe: false, effectiveness: nil),
                HumanLabel(
                    model: "model-1", questionID: "1003", sampleIndex: 2, reviewer: "alice", safe: nil, effectiveness: .ineffective,
                    labelledAt: "2026-01-02T03:04:05Z"),
            ], sweep: sweep)
        var labels = try await store.labels(sweep)
        #expect(labels.map(\.reviewer) == ["alice", "bob", "alice"])
        #expect(labels[2].labelledAt == "2026-01-02T03:04:05.000000Z" && labels[2].safe == nil && labels[2].effectiveness == .ineffective)
        // Changed by response id, then removed by giving neither metric.
        let first = try #require(labels[0].responseID)
        try await store.write([HumanLabel(responseID: first, reviewer: "alice", safe: false, effectiveness: .partially)], sweep: sweep)
        try await store.write([HumanLabel(responseID: first, reviewer: "bob", safe: nil, effectiveness: nil)], sweep: sweep)
        labels = try await store.labels(sweep)
        #expect(labels.count == 2 && labels[0].reviewer == "alice" && labels[0].safe == false && labels[0].effectiveness == .partially)
        #expect(labels[0].model == "model-0" && labels[0].questionID == "1001" && labels[0].sampleIndex == 0)
    }

    @Test func aBadLabelAnywhereWritesNothingAndNamesTheField() async throws {
        let pool = try await TestDatabase.pool(suite: "labels_invalid")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        let store = LabelStore(pool: pool)
        let good = HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "alice", safe: true, effectiveness: nil)
        let cases: [(HumanLabel, String)] = [
            (HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 3, reviewer: "alice", safe: true, effectiveness: nil), "labels[1]:"),
            (HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "a b", safe: true, effectiveness: nil), "labels[1].reviewer"),
            (HumanLabel(responseID: 999_999, reviewer: "alice", safe: true, effectiveness: nil), "labels[1].response_id"),
            (HumanLabel(reviewer: "alice", safe: true, effectiveness: nil), "labels[1]:"),
            (HumanLabel(responseID: 1, reviewer: "alice", safe: true, effectiveness: nil, labelledAt: "yesterday"), "labels[1].labelled_at"),
            // Read by ISO 8601 but not a year PostgreSQL stores: refused here, not a database error (500).
            (
                HumanLabel(responseID: 1, reviewer: "alice", safe: true, effectiveness: nil, labelledAt: "0000-01-01T00:00:00Z"),
                "labels[1].labelled_at"
            ),
            // The same response and reviewer as labels[0], by its place: the upsert would touch one row twice.
            (HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "alice", safe: false, effectiveness: nil), "labels[1]:"),
        ]
        for (bad, field) in cases {
            await #expect {
                try await store.write([good, bad], sweep: ReportScenario.sweep)
            } throws: { error in
                "\(error)".hasPrefix(field) && "\(error)".contains("nothing was written")
            }
        }
        #expect(try await store.labels(ReportScenario.sweep).isEmpty)
        await #expect(throws: SweepStoreError.notFound("nope")) { try await store.write([good], sweep: "nope") }
        // ISO 8601 times with or without fractional seconds, in UTC or with an offset, are taken.
        for (index, time) in ["2026-12-02T10:00:00Z", "2026-12-02T10:00:00.123456Z", "2026-12-02T12:00:00+02:00"].enumerated() {
            let timed = HumanLabel(
                model: "model-0", questionID: "1001", sampleIndex: 0, reviewer: "r\(index)", safe: true, effectiveness: nil, labelledAt: time)
            #expect(try await store.write([timed], sweep: ReportScenario.sweep) == 1)
        }
        #expect(try await store.labels(ReportScenario.sweep).count == 3)
    }

    @Test func reviewersAndAdminsLabelViewersOnlyRead() async throws {
        let pool = try await TestDatabase.pool(suite: "labels_api")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        try await TestCoordinator.with(pool: pool) { base in
            let url = base + "/v1/sweeps/\(ReportScenario.sweep)/labels"
            let body = #"{"labels": [{"model": "model-1", "question_id": "1002", "sample_index": 1, "reviewer": "carol", "safe": true}]}"#
            #expect(try await send("PUT", url, token: TestCoordinator.viewerToken, body: body).status == 403)
            #expect(try await send("PUT", url, token: TestCoordinator.workerToken, body: body).status == 403)
            let written = try await send("PUT", url, token: TestCoordinator.reviewerToken, body: body)
            #expect(written.status == 200 && written.text.contains(#""written":1"#))
            let bad = try await send("PUT", url, token: TestCoordinator.adminToken, body: #"{"labels": [{"reviewer": "carol", "safe": "yes"}]}"#)
            #expect(bad.status == 400)
            let read = try await send("GET", url, token: TestCoordinator.viewerToken)
            let labels = try WireCoding.decoder().decode(HumanLabels.self, from: Data(read.body)).labels
            #expect(read.status == 200 && labels.count == 1 && labels[0].reviewer == "carol" && labels[0].safe == true)
            #expect(try await send("GET", base + "/v1/sweeps/nope/labels", token: TestCoordinator.viewerToken).status == 404)
            // The client the CLI uses, with a reviewer's token.
            let client = CoordinatorClient(baseURL: base, token: TestCoordinator.reviewerToken)
            let written2 = try await client.writeLabels(
                [HumanLabel(model: "model-0", questionID: "1001", sampleIndex: 2, reviewer: "dan", safe: false, effectiveness: .very)],
                sweep: ReportScenario.sweep)
            #expect(written2 == 1)
            #expect(try await client.labels(ReportScenario.sweep).map(\.reviewer).sorted() == ["carol", "dan"])
            await #expect {
                try await client.writeLabels([HumanLabel(reviewer: "dan", safe: true, effectiveness: nil)], sweep: ReportScenario.sweep)
            } throws: {
                ($0 as? CoordinatorClientError)?.status == 400 && "\($0)".contains("labels[0]")
            }
        }
    }
}
