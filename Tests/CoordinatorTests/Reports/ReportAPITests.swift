import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `GET /v1/sweeps/{name}/report` and `/export` over real HTTP.
@Suite struct ReportAPITests {
    private func get(_ url: String, token: String?) async throws -> HTTPClientResponse {
        try await TestHTTP.send(url, token: token)
    }

    @Test func theReportAndExportRoutesNeedAReadingTokenAndAKnownSweep() async throws {
        let pool = try await TestDatabase.pool(suite: "report_api")
        try await ReportScenario.prepare(pool)
        try await ReportScenario.answerTargets(pool)
        try await ReportScenario.runJudges(pool)
        try await TestCoordinator.with(pool: pool) { base in
            let path = base + "/v1/sweeps/\(ReportScenario.sweep)"
            #expect(try await get(path + "/report", token: TestCoordinator.adminToken).status == 200)
            #expect(try await get(path + "/report", token: nil).status == 401)
            #expect(try await get(path + "/report", token: TestCoordinator.workerToken).status == 403)
            #expect(try await get(path + "/report", token: TestCoordinator.viewerToken).status == 200)
            #expect(try await get(path + "/export", token: TestCoordinator.reviewerToken).status == 200)
            #expect(try await get(path + "/export", token: nil).status == 401)
            let unknown = try await get(base + "/v1/sweeps/nope/report", token: TestCoordinator.adminToken)
            #expect(unknown.status == 404 && unknown.text.contains("nope"))
            #expect(try await get(base + "/v1/sweeps/nope/export", token: TestCoordinator.adminToken).status == 404)
            #expect(try await get(path + "/report?format=pdf", token: TestCoordinator.adminToken).status == 400)

            let html = try await get(path + "/report?format=html", token: TestCoordinator.adminToken)
            #expect(html.status == 200 && html.text.hasPrefix("<!DOCTYPE html>"))
            #expect(html.headers.first { $0.key.lowercased() == "content-type" }?.value.hasPrefix("text/html") == true)
            let csv = try await get(path + "/report?format=csv", token: TestCoordinator.adminToken)
            #expect(csv.text.contains("\"model-0\",\"overall\""))

            let admin = TestCoordinator.admin(base)
            let report = try await admin.report(ReportScenario.sweep)
            // Dates lose sub-millisecond digits on the wire; the numbers must come through exactly.
            #expect(report.models == (try await ReportStore(pool: pool).report(ReportScenario.sweep)).models)
            let export = try await admin.export(ReportScenario.sweep)
            #expect(export.models.keys.sorted() == ["model-0", "model-1"] && export.models["model-0"]?.generation.count == 3)
        }
    }
}
