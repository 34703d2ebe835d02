import Testing

@testable import Coordinator

/// What a client is told for the errors a store can throw.
@Suite struct ErrorStatusTests {
    @Test func aTransactionPostgreSQLStoppedOverAConflictIsATryAgain() {
        for state in ["40P01", "40001", "55P03"] {
            let mapped = ErrorStatus.of(PostgresError(sqlState: state, message: "deadlock detected"))
            #expect(mapped?.status == .serviceUnavailable, "\(state)")
            #expect(mapped?.message.contains("try again") == true, "\(state)")
            #expect(mapped?.message.contains("deadlock") == false, "no internals: \(state)")
        }
    }

    @Test func aBrokenConstraintIsABugNotTheClientsFault() {
        // Every client mistake is refused before it reaches a constraint: one that does is logged as a 500.
        #expect(ErrorStatus.of(PostgresError(sqlState: "23502", message: "null value")) == nil)
    }
}
