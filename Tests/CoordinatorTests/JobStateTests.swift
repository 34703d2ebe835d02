import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

@testable import Coordinator

/// The job states Swift knows are the ones the schema allows, and the
/// unfinished ones are the list every query about remaining work uses.
@Suite struct JobStateTests {
    @Test func theSchemaAllowsExactlyTheStatesSwiftKnows() async throws {
        let pool = try await TestDatabase.pool(suite: "job_states")
        let row = try #require(
            try await pool.query("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'jobs_state_check'").first)
        let definition = try row.decode(String.self, "def")
        let allowed = try NSRegularExpression(pattern: "'([a-z_]+)'").matches(
            in: definition, range: NSRange(definition.startIndex..., in: definition)
        )
        .compactMap { Range($0.range(at: 1), in: definition).map { String(definition[$0]) } }
        #expect(Set(allowed) == Set(JobState.allCases.map(\.rawValue)), "\(definition)")
        #expect(JobSQL.unfinishedStates == "'queued', 'leased', 'batched'")
    }

    @Test func aStateThisBuildDoesNotKnowFailsLoudly() async throws {
        let pool = try await TestDatabase.pool(suite: "job_states_unknown")
        let row = try #require(try await pool.query("SELECT 'paused_forever'::text AS state").first)
        #expect(throws: (any Error).self) { try row.decode(JobState.self, "state") }
        #expect(try #require(try await pool.query("SELECT 'batched'::text AS state").first).decode(JobState.self, "state") == .batched)
    }
}
