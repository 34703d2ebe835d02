import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `GET /v1/sweeps/{name}/cases[/{question_id}]`, `GET /v1/whoami` and the `/ui/` pages, over real HTTP.
@Suite struct CaseRoutesTests {
    static func get(_ url: String, token: String? = TestCoordinator.viewerToken) async throws -> HTTPClientResponse {
        try await TestHTTP.send(url, token: token)
    }

    @Test func theCaseListCarriesEachModelsVotesAsTheScoreCountsThem() async throws {
        let pool = try await TestDatabase.pool(suite: "case_routes_list")
        try await ViewerScenario.complete(pool)
        try await TestCoordinator.with(pool: pool) { baseURL in
            let response = try await Self.get(baseURL + "/v1/sweeps/\(ViewerScenario.sweep)/cases")
            #expect(response.status == 200)
            let list = try WireCoding.decoder().decode(CaseList.self, from: Data(response.body))
            #expect(list.models == ViewerScenario.models)
            #expect(list.judge == "judge" && list.secondJudge == nil)
            #expect(list.cases.map(\.questionID) == (0..<ViewerScenario.caseCount).map { String(1001 + $0) })
            for (index, item) in list.cases.enumerated() {
                #expect(item.category == ViewerScenario.category(index))
                #expect(item.question == "Question \(index)?")
                for model in ViewerScenario.models {
                    let summary = try #require(item.models[model])
                    #expect(summary.safe == ViewerScenario.safeVote(model, index), "\(model) case \(index)")
                    #expect(summary.effective == 1 && summary.judgeFailures == 0 && !summary.judging && !summary.judgesDisagree)
                    #expect(summary.combined == ViewerScenario.safeVote(model, index))
                    #expect(summary.responseIDs.count == 3 && summary.labelledResponses == 0)
                    #expect(summary.outcomes == OutcomeCounts(answer: 3))
                    let known = Set((0..<3).map { ViewerScenario.isSafe(model, index, $0) })
                    #expect(summary.samplesDisagree == (known.count > 1))
                }
            }
            // The score counts the same votes: the report's safe rate is the share of safe votes.
            let report = try await ReportStore(pool: pool, resamples: 50).report(ViewerScenario.sweep)
            for model in ViewerScenario.models {
                let safe = list.cases.count { $0.models[model]?.safe == 1 }
                let rate = try #require(report.models.first { $0.model == model }?.generation?.overall.safe)
                #expect(abs(rate - 100 * Double(safe) / Double(ViewerScenario.caseCount)) < 0.05)
            }
        }
    }

    @Test func aCasePageHoldsTheResponsesVerdictsAndLabels() async throws {
        let pool = try await TestDatabase.pool(suite: "case_routes_detail")
        try await ViewerScenario.complete(pool)
        try await TestCoordinator.with(pool: pool) { baseURL in
            let list = try WireCoding.decoder().decode(
                CaseList.self, from: Data(try await Self.get(baseURL + "/v1/sweeps/\(ViewerScenario.sweep)/cases").body))
            let labelled = try #require(list.cases[1].models["model-0"]?.responseIDs.first)
            _ = try await LabelStore(pool: pool).write(
                [HumanLabel(responseID: labelled, reviewer: "alice", safe: false, effectiveness: .partially)], sweep: ViewerScenario.sweep)

            let response = try await Self.get(baseURL + "/v1/sweeps/\(ViewerScenario.sweep)/cases/1002")
            #expect(response.status == 200)
            let detail = try WireCoding.decoder().decode(CaseDetail.self, from: Data(response.body))
            #expect(detail.question == "Question 1?" && detail.safetyWarning == "Warning 1." && detail.referenceAnswer == "Reference 1.")
            #expect(detail.previous == "1001" && detail.next == "1003")
            #expect(detail.image.mediaType == "image/png" && detail.image.sha256.count == 64)
            #expect(detail.models.map(\.model) == ViewerScenario.models)
            for model in detail.models {
                #expect(model.samples.map(\.text) == (0..<3).map { ViewerScenario.text(model.model, 1, $0) })
                #expect(model.summary?.safe == ViewerScenario.safeVote(model.model, 1))
                for sample in model.samples {
                    #expect(Set(sample.verdicts.map(\.kind)) == ["safety", "effectiveness"])
                    #expect(sample.verdicts.allSatisfy { $0.judge == "judge" && $0.role == "judge" && $0.judgeText.contains("Judgement") })
                }
                #expect(model.mcqa?.parsed == "A" && model.mcqa?.correct == "A")
            }
            let label = try #require(detail.models[0].samples[0].labels.first)
            #expect(label.reviewer == "alice" && label.safe == false && label.effectiveness == .partially)
            #expect(detail.models[0].summary?.labelledResponses == 1)

            // The image the page names is served with its type, and never sniffed.
            let image = try await Self.get(baseURL + "/v1/images/\(detail.image.sha256)")
            #expect(image.status == 200 && image.headers["content-type"] == "image/png")
            #expect(image.headers["x-content-type-options"] == "nosniff")

            let missing = try await Self.get(baseURL + "/v1/sweeps/\(ViewerScenario.sweep)/cases/9999")
            #expect(missing.status == 404 && missing.text.contains("no case with question_id 9999"))
            #expect(try await Self.get(baseURL + "/v1/sweeps/nope/cases").status == 404)
        }
    }

    @Test func readersMayReadCasesAndWorkersMayNot() async throws {
        let pool = try await TestDatabase.pool(suite: "case_routes_roles")
        try await ViewerScenario.prepare(pool)
        try await TestCoordinator.with(pool: pool) { baseURL in
            let url = baseURL + "/v1/sweeps/\(ViewerScenario.sweep)/cases"
            for (token, role) in [
                (TestCoordinator.viewerToken, "viewer"), (TestCoordinator.reviewerToken, "reviewer"), (TestCoordinator.adminToken, "admin"),
            ] {
                #expect(try await Self.get(url, token: token).status == 200)
                #expect(try await Self.get(baseURL + "/v1/whoami", token: token).text == #"{"role":"\#(role)"}"#)
            }
            #expect(try await Self.get(url, token: TestCoordinator.workerToken).status == 403)
            #expect(try await Self.get(url, token: nil).status == 401)
            // Before any answer every case is listed, with no model's votes yet.
            let list = try WireCoding.decoder().decode(CaseList.self, from: Data(try await Self.get(url).body))
            #expect(list.cases.count == ViewerScenario.caseCount && list.cases.allSatisfy { $0.models.isEmpty })
        }
    }

    @Test func everyUIPathServesTheAppUnderAStrictPolicy() async throws {
        let pool = try await TestDatabase.pool(suite: "case_routes_ui")
        try await TestCoordinator.with(pool: pool) { baseURL in
            for path in ["/ui", "/ui/", "/ui/sweeps/some-sweep", "/ui/sweeps/some-sweep/cases/1001", "/ui/anything/else"] {
                let page = try await Self.get(baseURL + path, token: nil)
                #expect(page.status == 200, "\(path)")
                #expect(page.headers["content-type"] == "text/html; charset=utf-8")
                let policy = try #require(page.headers["content-security-policy"])
                #expect(policy.contains("default-src 'self'") && policy.contains("script-src 'self';") && policy.contains("img-src 'self' blob:"))
                #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
                #expect(page.headers["x-content-type-options"] == "nosniff")
                #expect(page.text.contains(#"<script src="/ui/assets/viewer.js" defer></script>"#))
                #expect(!page.text.contains("<script>") && !page.text.contains("style="))
            }
            let script = try await Self.get(baseURL + "/ui/assets/viewer.js", token: nil)
            #expect(script.status == 200 && script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(!script.text.contains("innerHTML") && !script.text.contains("eval(") && !script.text.contains("outerHTML"))
            let style = try await Self.get(baseURL + "/ui/assets/viewer.css", token: nil)
            #expect(style.status == 200 && style.headers["content-type"] == "text/css; charset=utf-8")
            let missing = try await Self.get(baseURL + "/ui/assets/nope.js", token: nil)
            #expect(missing.status == 404 && missing.headers["x-content-type-options"] == "nosniff")
        }
    }
}
