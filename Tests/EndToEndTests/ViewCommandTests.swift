import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// `siuo view [SWEEP]` as a person runs it: it serves the viewer and the API over the database on
/// loopback, and prints the address with a fresh token in its fragment.
@Suite struct ViewCommandTests {
    @Test func viewServesTheAppAndTheAPIWithTheTokenItPrints() async throws {
        guard SiuoProcess.requireBinary() else { return }
        let url = try await TestDatabase.freshDatabase(suite: "view_command")
        let pool = PostgresPool(url: url, size: 2)
        try await Migrator(pool: pool).migrate()
        try await SweepFixture.importDataset(pool, cases: 3)
        _ = try await SweepStore(pool: pool).submit(SweepFixture.definition(name: "viewed", models: 1))

        let view = try SiuoProcess(["view", "viewed", "--database-url", url], waitForAddress: true)
        let line = try #require(view.firstLine)
        let baseURL = try #require(view.baseURL)
        let match = try #require(line.firstMatch(of: /viewer on (http:\/\/127\.0\.0\.1:\d+)(\/ui\/sweeps\/viewed)#token=([0-9a-f]{64})\n/))
        #expect(String(match.1) == baseURL)
        let token = String(match.3)

        let page = try await TestHTTP.send(baseURL + String(match.2))
        #expect(page.status == 200 && page.text.contains("/ui/assets/viewer.js"))
        #expect(page.headers["content-security-policy"]?.contains("default-src 'self'") == true)

        let cases = try await TestHTTP.send(baseURL + "/v1/sweeps/viewed/cases", token: token)
        #expect(cases.status == 200)
        #expect(try WireCoding.decoder().decode(CaseList.self, from: Data(cases.body)).cases.count == 3)
        let role = try await TestHTTP.send(baseURL + "/v1/whoami", token: token)
        #expect(role.text == #"{"role":"reviewer"}"#)
        // The token is this run's own: no token, no data.
        #expect(try await TestHTTP.send(baseURL + "/v1/sweeps/viewed/cases").status == 401)
        #expect(view.stop() == 0)
    }
}
