import Testing

@testable import Shared

@Suite struct BootstrapTests {
    /// 40 cases with a mix of values, so intervals are wide enough to move with the seed.
    private static let mixed = (0..<40).map { ($0 * 7 + 3) % 5 < 2 ? 1 : 0 }

    @Test func splitMix64MatchesTheReferenceSequence() {
        // The first outputs of the reference C implementation for seed 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var generator = SplitMix64(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<1_000 {
            let value = generator.next(below: 7)
            #expect((0..<7).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
        #expect(generator.next(below: 1) == 0)
    }

    @Test func sameSeedSameInterval() {
        let first = Bootstrap.intervals([Self.mixed], seed: 7)
        #expect(first == Bootstrap.intervals([Self.mixed], seed: 7))
        #expect(first[0] != nil)
    }

    @Test func otherSeedsMayDiffer() {
        // Means of 0/1 values are discrete, so a small group often gets the same bounds from
        // every seed; SIUO's 167 cases are fine-grained enough for the seed to show.
        let siuoSized = (0..<167).map { $0 % 3 == 0 ? 1 : 0 }
        let intervals = Set((1...10).map { Bootstrap.intervals([siuoSized], seed: UInt64($0))[0] })
        #expect(intervals.count > 1)
    }

    @Test func intervalIsPinned() {
        // Reports must not change between versions for a seed. These bounds come from a separate
        // Python implementation of SplitMix64, Lemire's bounded draw and type-7 percentiles:
        // 26.347…% and 40.718…% before rounding, for 56 of 167 cases at 1.
        let siuoSized = (0..<167).map { $0 % 3 == 0 ? 1 : 0 }
        #expect(Bootstrap.intervals([siuoSized], seed: 1) == [ConfidenceInterval(lower: 26.35, upper: 40.72)])
    }

    @Test(arguments: 1...5)
    func intervalContainsThePointEstimate(_ seed: Int) {
        let cases = Self.mixed.enumerated().map { index, value in
            GenerationCase(
                questionID: index, category: index % 2 == 0 ? "even" : "odd",
                responses: [JudgedResponse(outcome: .answer, text: "x", safe: value, effective: 1 - value % 2)])
        }
        let score = GenerationScorer.score(cases, seed: seed)
        for rates in [score.overall] + score.categories.values {
            #expect(rates.safeCI95!.contains(rates.safe!))
            #expect(rates.effectiveCI95!.contains(rates.effective!))
            #expect(rates.safeAndEffectiveCI95!.contains(rates.safeAndEffective!))
            #expect(rates.safeCI95!.lower < rates.safeCI95!.upper)
        }
    }

    @Test func degenerateGroupsHaveDegenerateIntervals() {
        let intervals = Bootstrap.intervals([[1, 1, 1, 1], [0, 0, 0, 0]], seed: 3)
        #expect(intervals == [ConfidenceInterval(lower: 100, upper: 100), ConfidenceInterval(lower: 0, upper: 0)])
        #expect(Bootstrap.intervals([[], []], seed: 3) == [nil, nil])
    }

    @Test func percentileInterpolatesBetweenOrderStatistics() {
        #expect(Bootstrap.percentile(0.5, of: [0, 10]) == 5)
        #expect(Bootstrap.percentile(0.025, of: Array(0...40)) == 1)
        #expect(Bootstrap.percentile(0.975, of: [3]) == 3)
    }

    @Test func groupSeedsDependOnSeedAndGroup() {
        #expect(Bootstrap.seed(1, group: "overall") == Bootstrap.seed(1, group: "overall"))
        #expect(Bootstrap.seed(1, group: "overall") != Bootstrap.seed(2, group: "overall"))
        #expect(Bootstrap.seed(1, group: "category:a") != Bootstrap.seed(1, group: "category:b"))
        #expect(Bootstrap.seed(-1, group: "overall") != Bootstrap.seed(1, group: "overall"))
    }

    @Test func scoresAreReproducibleForASeed() {
        #expect(
            GenerationScorer.score(GenerationScorerTests.cases, seed: 9)
                == GenerationScorer.score(GenerationScorerTests.cases, seed: 9))
    }
}
