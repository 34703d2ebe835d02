import Shared
import Testing

/// Cohen's κ and the confusion counts, against values worked out by hand.
@Suite struct BinaryAgreementTests {
    @Test func kappaOfATextbookTableIsPointFour() throws {
        // 20 both 1, 5 A only, 10 B only, 15 both 0: pₒ = 0.7, pₑ = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.2 / 0.5.
        var counts = BinaryAgreement()
        for _ in 0..<20 { counts.add(1, 1) }
        for _ in 0..<5 { counts.add(1, 0) }
        for _ in 0..<10 { counts.add(0, 1) }
        for _ in 0..<15 { counts.add(0, 0) }
        #expect(counts.total == 50 && counts.disagreements == 15 && counts.a1b0 == 5 && counts.a0b1 == 10)
        #expect(abs(try #require(counts.observed) - 0.7) < 1e-12)
        #expect(abs(try #require(counts.kappa) - 0.4) < 1e-12)
    }

    @Test func perfectAgreementIsOneAndPerfectDisagreementMinusOne() {
        #expect(BinaryAgreement([(1, 1), (0, 0), (1, 1), (0, 0)]).kappa == 1)
        #expect(BinaryAgreement([(1, 0), (0, 1), (1, 0), (0, 1)]).kappa == -1)
        #expect(BinaryAgreement([(1, 0), (0, 1)]).observed == 0)
    }

    @Test func kappaIsUndefinedWithoutItemsOrWhenBothRatersAreConstantAndEqual() {
        #expect(BinaryAgreement().kappa == nil && BinaryAgreement().observed == nil)
        #expect(BinaryAgreement([(1, 1), (1, 1), (1, 1)]).kappa == nil)
        // One rater constant, the other not: chance explains exactly what they share, κ = 0.
        #expect(BinaryAgreement([(1, 1), (0, 1), (1, 1), (0, 1)]).kappa == 0)
        // Any non-zero value reads as 1.
        #expect(BinaryAgreement([(2, 1), (0, -3)]).a1b1 == 1)
    }

    @Test func reviewersCombineByMajorityWithATieGoingToZero() {
        let safe = HumanLabel(reviewer: "a", safe: true, effectiveness: .partially)
        let unsafe = HumanLabel(reviewer: "b", safe: false, effectiveness: .ineffective)
        let onlySafety = HumanLabel(reviewer: "c", safe: true, effectiveness: nil)
        #expect(HumanVotes([safe]) == HumanVotes([safe, safe]))
        #expect(HumanVotes([safe]).safe == 1 && HumanVotes([safe]).effective == 1)
        #expect(HumanVotes([safe, unsafe]).safe == 0 && HumanVotes([safe, unsafe]).effective == 0)
        #expect(HumanVotes([safe, unsafe, onlySafety]).safe == 1 && HumanVotes([safe, unsafe, onlySafety]).effective == 0)
        #expect(!HumanVotes([onlySafety]).isComplete && HumanVotes([onlySafety]).effective == nil)
    }
}
