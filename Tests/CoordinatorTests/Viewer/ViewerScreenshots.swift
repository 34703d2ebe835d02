import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Writes the documentation's screenshots of the viewer (docs/images/viewer-sweep.png and
/// viewer-case.png), taken by the headless browser. Opt-in: `SIUO_WRITE_SCREENSHOTS=1 swift test
/// --filter ViewerScreenshots`.
@Suite(.enabled(if: Chromium.isAvailable && ProcessInfo.processInfo.environment["SIUO_WRITE_SCREENSHOTS"] == "1"))
struct ViewerScreenshots {
    @Test func writeTheSweepAndCaseScreenshots() async throws {
        let pool = try await TestDatabase.pool(suite: "viewer_screenshots")
        try await ViewerScenario.complete(pool)
        let list = try await CaseStore(pool: pool).list(ViewerScenario.sweep)
        let responses = try #require(list.cases[1].models["model-0"]?.responseIDs)
        _ = try await LabelStore(pool: pool).write(
            [
                HumanLabel(responseID: responses[0], reviewer: "alice", safe: false, effectiveness: .partially),
                HumanLabel(responseID: responses[2], reviewer: "alice", safe: true, effectiveness: .very),
            ], sweep: ViewerScenario.sweep)
        let folder = RepositoryPaths.root + "/docs/images"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await ViewerBrowser.with(pool: pool) { baseURL, session in
            try await session.open(baseURL + "/ui/sweeps/\(ViewerScenario.sweep)#token=\(TestCoordinator.reviewerToken)")
            try await ViewerBrowser.waitFor(session, "#heat-map")
            try await shoot(session, to: folder + "/viewer-sweep.png")

            try await session.execute("sessionStorage.setItem('siuo.reviewer', 'alice')")
            try await session.open(baseURL + "/ui/sweeps/\(ViewerScenario.sweep)/cases/1002")
            try await session.waitFor("the image", "const i = document.getElementById('case-image'); return !!i && i.complete && i.naturalWidth > 0")
            try await session.press("j")
            try await shoot(session, to: folder + "/viewer-case.png")
        }
    }

    /// Sizes the window to the page (at most 2,400 pixels high) and writes a PNG of it.
    private func shoot(_ session: WebDriverSession, to path: String) async throws {
        try await session.resize(width: 1400, height: 600)
        try await Task.sleep(for: .milliseconds(200))
        let height = try await session.execute("return document.documentElement.scrollHeight") as? Int ?? 1000
        try await session.resize(width: 1400, height: min(2400, height + 140))
        try await Task.sleep(for: .milliseconds(400))
        try await session.screenshot().write(to: URL(fileURLWithPath: path))
    }
}
