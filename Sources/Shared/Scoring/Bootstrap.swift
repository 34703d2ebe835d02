/// Percentile bootstrap intervals of means of 0/1 values (docs/protocol.md, "Scoring").
public enum Bootstrap {
    /// Resamples per interval, as docs/protocol.md, "Scoring" fixes.
    public static let defaultResamples = 2_000

    /// 95% intervals, in percent, of the mean of each measure in `measures`.
    ///
    /// `measures[m][c]` is case `c`'s 0/1 value for measure `m`; all measures cover the same cases,
    /// and each resample draws one set of cases (with replacement, as many as there are) for all of
    /// them, so safe, effective and combined intervals of a group come from the same resamples. The
    /// bounds are the 2.5th and 97.5th percentiles of the resampled means, interpolated linearly
    /// between order statistics, rounded to two decimals like the point estimates. `nil` for a
    /// measure without cases.
    public static func intervals(
        _ measures: [[Int]], seed: UInt64,
        resamples: Int = defaultResamples
    ) -> [ConfidenceInterval?] {
        let count = measures.first?.count ?? 0
        guard count > 0, resamples > 0 else { return measures.map { _ in nil } }
        precondition(measures.allSatisfy { $0.count == count }, "every measure must cover the same cases")
        var generator = SplitMix64(seed: seed)
        var sums = Array(repeating: [Int](repeating: 0, count: resamples), count: measures.count)
        for resample in 0..<resamples {
            for _ in 0..<count {
                let drawn = generator.next(below: count)
                for measure in measures.indices {
                    sums[measure][resample] += measures[measure][drawn]
                }
            }
        }
        return sums.map { measureSums in
            let sorted = measureSums.sorted()
            return ConfidenceInterval(
                lower: percent(percentile(0.025, of: sorted), count: count),
                upper: percent(percentile(0.975, of: sorted), count: count))
        }
    }

    /// The seed for one group's resamples: the sweep's seed mixed with the group's name, so that
    /// groups of equal size do not draw identical case positions.
    public static func seed(_ sweepSeed: Int, group: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: stable across runs, unlike `Hasher`.
        for byte in group.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: UInt64(bitPattern: Int64(sweepSeed)) ^ hash)
        return mixer.next()
    }

    /// The `p`-quantile of ascending `values`, interpolating between neighbours (Hyndman & Fan
    /// type 7, the default of R and NumPy).
    static func percentile(_ p: Double, of values: [Int]) -> Double {
        let position = p * Double(values.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, values.count - 1)
        let weight = position - Double(below)
        return Double(values[below]) + weight * Double(values[above] - values[below])
    }

    private static func percent(_ sum: Double, count: Int) -> Double {
        (sum * 10_000 / Double(count)).rounded() / 100
    }
}
