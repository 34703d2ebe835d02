import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// The web viewer in a real headless Chromium (Debian's `chromium` and `chromium-driver`), against a
/// real coordinator and database. Skipped where the browser is not installed; CI installs it.
@Suite(.serialized, .enabled(if: Chromium.isAvailable, "needs chromium and chromedriver (Debian: chromium, chromium-driver)"))
struct ViewerBrowserTests {
    static let sweep = ViewerScenario.sweep

    @Test func signingInWithTheFormOrTheAddressFragment() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_signin")
        try await ViewerScenario.complete(pool)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            // A wrong token is refused, and said so.
            try await ViewerBrowser.signIn(session, baseURL + "/ui/", token: "not-a-token")
            try await ViewerBrowser.waitForContains(session, "#error", "401")
            #expect(try await session.execute("return sessionStorage.getItem('siuo.token')") == nil)

            try await ViewerBrowser.signIn(session, baseURL + "/ui/", token: TestCoordinator.viewerToken)
            try await ViewerBrowser.waitFor(session, ".sweep-card[data-sweep='\(Self.sweep)']")
            try await ViewerBrowser.waitForText(session, "#role", "viewer token")
            #expect(try await session.execute("return sessionStorage.getItem('siuo.token')") as? String == TestCoordinator.viewerToken)
            // Kept for the tab: a reload stays signed in.
            try await session.execute("location.reload()")
            try await ViewerBrowser.waitFor(session, ".sweep-card[data-sweep='\(Self.sweep)']")

            try await session.click("#signout")
            try await ViewerBrowser.waitFor(session, "#signin")
            #expect(try await session.execute("return sessionStorage.getItem('siuo.token')") == nil)

            // The fragment signs in, and leaves the address bar (the server never saw it).
            try await session.open(baseURL + "/ui/sweeps/\(Self.sweep)#token=\(TestCoordinator.reviewerToken)")
            try await ViewerBrowser.waitFor(session, "#leaderboard")
            try await ViewerBrowser.waitForText(session, "#role", "reviewer token")
            #expect(try await session.currentURL() == baseURL + "/ui/sweeps/\(Self.sweep)")
            #expect(try await session.execute("return sessionStorage.getItem('siuo.token')") as? String == TestCoordinator.reviewerToken)
            // The sweep page shows the leaderboard, the charts and the heat map.
            #expect(try await session.execute("return document.querySelectorAll('#leaderboard tbody tr').length") as? Int == 2)
            #expect(try await session.execute("return document.querySelectorAll('svg.chart').length") as? Int == 4)
            // Each chart draws a bar and a whisker per model.
            #expect(try await session.execute("return document.querySelectorAll('svg.chart rect.bar-fill').length") as? Int == 8)
            #expect(try await session.execute("return document.querySelectorAll('svg.chart line.whisker').length") as? Int == 24)
            #expect(try await session.execute("return document.querySelectorAll('#heat-map tbody tr').length") as? Int == 9)
        }
    }

    @Test func theSweepsPageShowsARunningSweepsProgressChanging() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_progress")
        try await ViewerScenario.prepare(pool)
        let model0 = ViewerScenario.definition.models[0].endpointKey
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await session.open(baseURL + "/ui/#token=\(TestCoordinator.viewerToken)")
            let generate = ".sweep-card[data-sweep='\(Self.sweep)'] td[data-model='model-0'][data-kind='generate'] .count"
            try await ViewerBrowser.waitForText(session, generate, "0/12")
            // model-0's endpoint serves its generate and MCQA jobs, in no set order: five of them, in all.
            #expect(try await ViewerScenario.drain(pool, endpoints: [model0], count: 5) == 5)
            let status = try await SweepStore(pool: pool).status(Self.sweep).models["model-0"]
            let generated = status?["generate"]?.done ?? 0
            let answered = status?["mcqa"]?.done ?? 0
            #expect(generated + answered == 5)
            try await ViewerBrowser.waitForText(session, generate, "\(generated)/12")
            try await ViewerBrowser.waitForText(session, generate.replacingOccurrences(of: "'generate'", with: "'mcqa'"), "\(answered)/12")
            try await ViewerScenario.drain(pool, endpoints: [model0])
            try await ViewerBrowser.waitForText(session, generate, "12/12")
            // Its answers created judge jobs, which appear as they are made.
            try await ViewerBrowser.waitForText(
                session, ".sweep-card[data-sweep='\(Self.sweep)'] td[data-model='model-0'][data-kind='judge_safety'] .count", "0/36")
            try await ViewerBrowser.waitForContains(session, ".sweep-card[data-sweep='\(Self.sweep)'] .badge", "running")
        }
    }

    @Test func theCaseTableFiltersByCategoryAndByUnsafeVote() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_filters")
        try await ViewerScenario.complete(pool)
        let indices = 0..<ViewerScenario.caseCount
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await session.open(baseURL + "/ui/sweeps/\(Self.sweep)/cases#token=\(TestCoordinator.viewerToken)")
            try await ViewerBrowser.waitForText(session, "#case-count", "12 of 12 cases")

            func shown() async throws -> [String] {
                try await session.execute("return Array.from(document.querySelectorAll('#cases tbody tr')).map((r) => r.dataset.questionId)")
                    as? [String] ?? []
            }
            let category = ViewerScenario.category(0)
            let inCategory = indices.filter { ViewerScenario.category($0) == category }
            try await session.click("#f-category option[value='\(category)']")
            try await ViewerBrowser.waitForText(session, "#case-count", "\(inCategory.count) of 12 cases")
            #expect(try await shown() == inCategory.map { String(1001 + $0) })

            try await session.click("#f-category option[value='']")
            try await session.click("#f-vote option[value='unsafe']")
            let unsafe = indices.filter { index in ViewerScenario.models.contains { ViewerScenario.safeVote($0, index) == 0 } }
            try await ViewerBrowser.waitForText(session, "#case-count", "\(unsafe.count) of 12 cases")
            #expect(try await shown() == unsafe.map { String(1001 + $0) })

            try await session.click("#f-model option[value='model-0']")
            let unsafe0 = indices.filter { ViewerScenario.safeVote("model-0", $0) == 0 }
            try await ViewerBrowser.waitForText(session, "#case-count", "\(unsafe0.count) of 12 cases")
            #expect(try await shown() == unsafe0.map { String(1001 + $0) })
            #expect(!unsafe0.isEmpty && unsafe0.count < unsafe.count)

            // Samples that disagree: model-0's split cases.
            try await session.click("#f-vote option[value='']")
            try await session.click("#f-samples")
            try await ViewerBrowser.waitForText(session, "#case-count", "\(unsafe0.count) of 12 cases")
            // The filters live in the address, so a reload keeps them.
            try await session.execute("location.reload()")
            try await ViewerBrowser.waitForText(session, "#case-count", "\(unsafe0.count) of 12 cases")
            #expect(try await session.execute("return document.getElementById('f-samples').checked") as? Bool == true)
        }
    }

    @Test func aCasePageShowsTheImageQuestionAndEveryResponseAsStored() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_case")
        try await ViewerScenario.complete(pool)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await session.open(baseURL + "/ui/sweeps/\(Self.sweep)/cases/1002#token=\(TestCoordinator.viewerToken)")
            try await session.waitFor(
                "the image to load",
                "const i = document.getElementById('case-image'); return !!i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0"
            )
            #expect(try await session.execute("return document.getElementById('case-image').naturalWidth") as? Int == 8)
            #expect(try await session.execute("return document.getElementById('case-image').src.startsWith('blob:')") as? Bool == true)
            #expect(try await ViewerBrowser.text(session, "#question") == "Question 1?")
            #expect(try await ViewerBrowser.text(session, "#category") == ViewerScenario.category(1))
            #expect(try await ViewerBrowser.text(session, "#safety-warning") == "Warning 1.")
            for model in ViewerScenario.models {
                let shown =
                    try await session.execute(
                        "return Array.from(document.querySelectorAll(`article.sample[data-model='${arguments[0]}'] pre.response-text`)).map((e) => e.textContent)",
                        [model]) as? [String]
                let stored = try await ViewerBrowser.storedTexts(pool, model: model, questionID: "1002")
                #expect(stored.count == 3)
                #expect(shown == stored, "\(model)")
            }
        }
    }

    @Test func hostileResponseTextRendersAsTextAndRunsNothing() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_hostile")
        try await ViewerScenario.complete(pool)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await session.open(baseURL + "/ui/sweeps/\(Self.sweep)/cases/1001#token=\(TestCoordinator.viewerToken)")
            let hostile = "article.sample[data-model='model-1'][data-sample='1'] pre.response-text"
            try await ViewerBrowser.waitFor(session, hostile)
            try await session.waitFor("the image", "const i = document.getElementById('case-image'); return i.complete && i.naturalWidth > 0")
            #expect(try await ViewerBrowser.text(session, hostile) == ViewerScenario.hostile)
            #expect(try await ViewerBrowser.storedTexts(pool, model: "model-1", questionID: "1001")[1] == ViewerScenario.hostile)
            // What a person sees is the markup itself.
            let visible = try await session.execute("return document.querySelector(arguments[0]).innerText", [hostile]) as? String
            #expect(visible?.contains("<script>window.__pwned = 1</script>") == true)
            #expect(visible?.contains(#"<a href="javascript:window.__pwned = 3">"#) == true)
            // Nothing of it became an element, and nothing ran.
            #expect(try await session.execute("return document.querySelectorAll('script').length") as? Int == 1)
            #expect(try await session.execute("return document.querySelectorAll('img').length") as? Int == 1)
            #expect(try await session.execute("return document.querySelectorAll('a[href^=\"javascript\"]').length") as? Int == 0)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await session.execute("return typeof window.__pwned") as? String == "undefined")
        }
    }

    @Test func aReviewerLabelsWithTheKeyboardAndTheLabelSurvivesAReload() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_label")
        try await ViewerScenario.complete(pool)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            let page = baseURL + "/ui/sweeps/\(Self.sweep)/cases/1003"
            try await ViewerBrowser.signIn(session, page, token: TestCoordinator.reviewerToken, reviewer: "alice")
            try await ViewerBrowser.waitFor(session, "article.sample")
            try await session.press("jj")
            let focused = "return document.activeElement.dataset.responseId || ''"
            let responseID = try #require(Int64(try await session.waitFor("focus on a response", focused) as? String ?? ""))
            #expect(try await session.execute("return document.activeElement.dataset.sample") as? String == "1")
            // Visible focus: the focused response is outlined.
            #expect(try await session.execute("return getComputedStyle(document.activeElement).outlineStyle") as? String == "solid")
            try await session.press("u")
            try await ViewerBrowser.waitForContains(session, "#status", "Saved alice: unsafe")
            try await session.press("3")
            try await ViewerBrowser.waitForContains(session, "#status", "Saved alice: unsafe, not effective")
            let labels = "article.sample[data-response-id='\(responseID)'] .labels"
            try await ViewerBrowser.waitForContains(session, labels, "alice: unsafe, not effective")

            try await session.open(page)
            try await ViewerBrowser.waitForContains(session, labels, "alice: unsafe, not effective")
            let stored = try await LabelStore(pool: pool).labels(Self.sweep)
            #expect(stored.count == 1)
            #expect(stored.first?.responseID == responseID && stored.first?.reviewer == "alice")
            #expect(stored.first?.safe == false && stored.first?.effectiveness == .ineffective)

            // n goes to the next case.
            try await session.press("n")
            try await ViewerBrowser.waitForText(session, "#question-id", "1004")
        }
    }

    @Test func aViewerTokenCannotLabelAndIsToldSo() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_forbidden")
        try await ViewerScenario.complete(pool)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await ViewerBrowser.signIn(
                session, baseURL + "/ui/sweeps/\(Self.sweep)/cases/1001", token: TestCoordinator.viewerToken, reviewer: "bob")
            try await ViewerBrowser.waitFor(session, "article.sample")
            try await session.press("js")
            try await ViewerBrowser.waitForContains(session, "#error", "Not allowed (403)")
            #expect(try await ViewerBrowser.text(session, "#error").contains("a viewer token may not do this"))
            #expect(try await LabelStore(pool: pool).labels(Self.sweep).isEmpty)
        }
    }

    @Test func theReportsHumanAndJudgeAgreementBlocksRenderWhenPresent() async throws {
        // The report's `human` block as the report makes it, then both blocks in their documented shapes
        // drawn by the sweep page's own functions.
        let pool = try await TestDatabase.pool(suite: "viewer_blocks")
        try await ViewerScenario.complete(pool)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await session.open(baseURL + "/ui/sweeps/\(Self.sweep)#token=\(TestCoordinator.viewerToken)")
            try await ViewerBrowser.waitFor(session, "#leaderboard")
            #expect(
                try await session.execute("return !!document.getElementById('human') || !!document.getElementById('judge-agreement')") as? Bool
                    == false)
            // Once a response carries a label the report has a human block, and the page shows it.
            let labelled = try #require(try await CaseStore(pool: pool).list(Self.sweep).cases[0].models["model-0"]?.responseIDs.first)
            _ = try await LabelStore(pool: pool).write(
                [HumanLabel(responseID: labelled, reviewer: "carol", safe: true, effectiveness: .very)], sweep: Self.sweep)
            try await session.execute("location.reload()")
            try await ViewerBrowser.waitForContains(session, "#human", "1 labelled responses")
            #expect(try await ViewerBrowser.text(session, "#human").contains("(carol)"))
            try await session.execute("document.getElementById('human').remove()")
            let human = """
                {"reviewers": ["alice", "bob"], "labelled_responses": 120,
                 "models": {"gpt-4o": {"labelled_cases": 40, "safe": 50.0, "safe_ci95": [35.0, 65.0], "effective": 80.0,
                   "effective_ci95": [70.0, 90.0], "safe_and_effective": 45.0, "safe_and_effective_ci95": [30.0, 60.0]}},
                 "agreement": {"safety": {"responses": 100, "accuracy": 0.93, "kappa": 0.85, "confusion":
                   {"judge_1_human_1": 40, "judge_1_human_0": 3, "judge_0_human_1": 4, "judge_0_human_0": 53}},
                   "effectiveness": {"responses": 100, "accuracy": 0.9, "kappa": 0.7, "confusion":
                   {"judge_1_human_1": 60, "judge_1_human_0": 5, "judge_0_human_1": 5, "judge_0_human_0": 30}}},
                 "reviewer_agreement": {"safety": {"responses": 30, "kappa": 0.8}, "effectiveness": {"responses": 30, "kappa": null}}}
                """
            let judges = """
                {"second_judge": "judge-b",
                 "safety": {"responses": 300, "kappa": 0.71, "agreement": 0.9, "disagreements": 20},
                 "effectiveness": {"responses": 300, "kappa": 0.64, "agreement": 0.85, "disagreements": 31},
                 "disagreeing": [{"model": "gpt-4o", "question_id": "1002", "sample_index": 2, "metric": "safety", "judge": 1, "second_judge": 0}]}
                """
            try await session.execute(
                "document.getElementById('app').append(humanBlock(JSON.parse(arguments[0])), judgeAgreement('\(Self.sweep)', JSON.parse(arguments[1])))",
                [human, judges])
            let humanText = try await ViewerBrowser.text(session, "#human")
            #expect(humanText.contains("alice, bob") && humanText.contains("120 labelled responses"))
            #expect(try await ViewerBrowser.text(session, "#human-rates tbody tr") == "gpt-4o4045.0[30.0, 60.0]50.0[35.0, 65.0]80.0[70.0, 90.0]")
            #expect(try await ViewerBrowser.text(session, "#human-agreement tbody tr") == "safety10093.0%0.850J1H1 40 · J1H0 3 · J0H1 4 · J0H0 53")
            #expect(try await ViewerBrowser.text(session, "#reviewer-agreement tbody tr:last-child") == "effectiveness30—")
            #expect(try await ViewerBrowser.text(session, "#judge-kappa tbody tr") == "safety3000.71090.0%20")
            #expect(try await ViewerBrowser.text(session, "#judge-agreement h2") == "Judge agreement (second judge: judge-b)")
            // Each disagreement links to its case.
            try await session.click("#judge-agreement details summary")
            try await session.click("#judge-agreement li a")
            try await ViewerBrowser.waitForText(session, "#question-id", "1002")
        }
    }
}
