import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Names are checked twice: in Swift, to refuse bad input with a clear
/// message, and by the tables' check constraints, as the last guard. The two
/// forms must accept exactly the same names.
@Suite struct NameRuleTests {
    static let candidates = [
        "", "a", "siuo-2025.v1_b", String(repeating: "a", count: 64), String(repeating: "a", count: 65), "a b", "a/b", "a@b",
        "é", "Ä", "-", ".", "a\n", "a\u{0}b", "名前", "x'y", "UPPER.lower_09-",
    ]

    /// The regular expression of `table`'s check constraint on `column`.
    static func checkPattern(_ pool: PostgresPool, table: String, column: String) async throws -> String {
        let rows = try await pool.query(
            "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'", [table])
        let definitions = try rows.map { try $0.decode(String.self, "def") }
        let definition = try #require(definitions.first { $0.contains("(\(column) ~ ") }, "\(table): \(definitions)")
        let start = try #require(definition.range(of: "~ '"))
        let end = try #require(definition.range(of: "'::text", range: start.upperBound..<definition.endIndex))
        return String(definition[start.upperBound..<end.lowerBound])
    }

    static func sqlAccepts(_ pool: PostgresPool, _ name: String, _ pattern: String) async throws -> Bool {
        // NUL cannot reach PostgreSQL text at all: the database refuses it before any check.
        guard !name.contains("\u{0}") else { return false }
        return try #require(try await pool.query("SELECT $1 ~ $2 AS ok", [name, pattern]).first).decode(Bool.self, "ok")
    }

    @Test func resourceNamesFollowTheSameRuleInSwiftAndInEveryTable() async throws {
        let pool = try await TestDatabase.pool(suite: "name_rules")
        for table in ["datasets", "sweeps", "models"] {
            let pattern = try await Self.checkPattern(pool, table: table, column: "name")
            for name in Self.candidates {
                #expect(
                    try await Self.sqlAccepts(pool, name, pattern) == (ResourceName.problem(with: name) == nil), "\(table): \(name.debugDescription)")
            }
        }
    }

    @Test func reviewerNamesFollowTheSameRuleInSwiftAndInTheTable() async throws {
        let pool = try await TestDatabase.pool(suite: "name_rules_reviewer")
        let pattern = try await Self.checkPattern(pool, table: "human_labels", column: "reviewer")
        for name in Self.candidates {
            #expect(try await Self.sqlAccepts(pool, name, pattern) == HumanLabel.isValidReviewer(name), "\(name.debugDescription)")
        }
    }
}
