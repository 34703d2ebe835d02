import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// What the browser tests share: a coordinator on the scenario's database and a headless Chromium.
enum ViewerBrowser {
    /// Runs `body` with a coordinator on `pool` and a browser session.
    static func with(pool: PostgresPool, _ body: (String, WebDriverSession) async throws -> Void) async throws {
        try await TestCoordinator.with(pool: pool) { baseURL in
            try await Chromium.with { session in try await body(baseURL, session) }
        }
    }

    /// The texts of `model`'s generation responses to `questionID`, as the database holds them.
    static func storedTexts(_ pool: PostgresPool, model: String, questionID: String) async throws -> [String] {
        try await pool.query(
            """
            SELECT r.text FROM responses r JOIN jobs j ON j.id = r.job_id JOIN models m ON m.id = j.subject_model_id
            JOIN cases c ON c.id = j.case_id
            WHERE j.kind = 'generate' AND m.name = $1 AND c.question_id = $2 ORDER BY r.sample_index
            """, [model, questionID]
        ).map { try $0.decode(String.self, "text") }
    }

    /// The text of the element `selector` names, or "" when there is none.
    static func text(_ session: WebDriverSession, _ selector: String) async throws -> String {
        (try await session.execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", [selector]) as? String) ?? ""
    }

    /// Waits until the element `selector` names has exactly `expected` as its text.
    static func waitForText(_ session: WebDriverSession, _ selector: String, _ expected: String) async throws {
        try await session.waitFor(
            "\(selector) to read \"\(expected)\"",
            "const e = document.querySelector(arguments[0]); return !!e && e.textContent === arguments[1]", [selector, expected])
    }

    /// Waits until the element `selector` names contains `expected`.
    static func waitForContains(_ session: WebDriverSession, _ selector: String, _ expected: String) async throws {
        try await session.waitFor(
            "\(selector) to contain \"\(expected)\"",
            "const e = document.querySelector(arguments[0]); return !!e && !e.hidden && e.textContent.includes(arguments[1])", [selector, expected])
    }

    /// Waits until an element matches `selector`.
    static func waitFor(_ session: WebDriverSession, _ selector: String) async throws {
        try await session.waitFor("\(selector) to appear", "return !!document.querySelector(arguments[0])", [selector])
    }

    /// Signs in through the form on `path` with `token` and, if given, a reviewer name.
    static func signIn(_ session: WebDriverSession, _ url: String, token: String, reviewer: String? = nil) async throws {
        try await session.open(url)
        try await waitFor(session, "#signin")
        try await session.type("#token", token)
        if let reviewer { try await session.type("#signin-reviewer", reviewer) }
        try await session.click("#signin button[type=submit]")
    }
}
