import Coordinator
import Foundation
import Shared
import SiuoTestSupport
import Testing

@testable import Coordinator

/// The job, batch and sweep states and the model roles Swift knows are the ones the schema allows, and the
/// unfinished job states are the list every query about remaining work uses.
@Suite struct JobStateTests {
    @Test func theSchemaAllowsExactlyTheStatesSwiftKnows() async throws {
        let pool = try await TestDatabase.pool(suite: "job_states")
        #expect(try await Self.allowedStates(constraint: "jobs_state_check", pool: pool) == Set(JobState.allCases.map(\.rawValue)))
        #expect(JobSQL.unfinishedStates == "'queued', 'leased', 'batched'")
        #expect(try await Self.allowedStates(constraint: "batches_state_check", pool: pool) == Set(BatchState.allCases.map(\.rawValue)))
        // A sweep row holds what it was told, or `replaced` (never read: every query on sweeps skips it).
        let told = SweepState.allCases.filter { !$0.isComplete }.map(\.rawValue)
        #expect(try await Self.allowedStates(constraint: "sweeps_state_check", pool: pool) == Set(told + ["replaced"]))
        #expect(try await Self.allowedStates(constraint: "models_role_check", pool: pool) == Set(ModelRole.allCases.map(\.rawValue)))
    }

    /// The viewer's script compares sweep states as text: each state it names is one `SweepState` knows,
    /// so a renamed state cannot leave the page polling for ever or never marking a partial report.
    @Test func theViewersScriptNamesOnlySweepStatesTheCodeKnows() throws {
        let script = try #require(ViewerAssets.files["viewer.js"]).text
        let named = Set(script.matches(of: #/state [!=]== '([a-z_]+)'/#).map { String($0.output.1) })
        #expect(!named.isEmpty && named.isSubset(of: Set(SweepState.allCases.map(\.rawValue))), "\(named)")
    }

    /// The values a `CHECK (column IN (...))` constraint allows.
    private static func allowedStates(constraint: String, pool: PostgresPool) async throws -> Set<String> {
        let row = try #require(
            try await pool.query("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1", [constraint]).first)
        let definition = try row.decode(String.self, "def")
        return Set(definition.matches(of: #/'([a-z_]+)'/#).map { String($0.output.1) })
    }

    @Test func aStateThisBuildDoesNotKnowFailsLoudly() async throws {
        let pool = try await TestDatabase.pool(suite: "job_states_unknown")
        let row = try #require(try await pool.query("SELECT 'paused_forever'::text AS state").first)
        #expect(throws: (any Error).self) { try row.decode(JobState.self, "state") }
        #expect(try #require(try await pool.query("SELECT 'batched'::text AS state").first).decode(JobState.self, "state") == .batched)
    }
}
