/// How two raters' 0/1 values on the same items agree (docs/protocol.md, "Agreement"): the 2×2
/// confusion counts, the share of items they agree on and Cohen's κ.
///
/// Rater A is the reference the report names first (the judge against a person, the judge against
/// the second judge); rater B the other.
public struct BinaryAgreement: Sendable, Equatable {
    /// Items both rated 1.
    public var a1b1 = 0
    /// Items A rated 1 and B 0.
    public var a1b0 = 0
    /// Items A rated 0 and B 1.
    public var a0b1 = 0
    /// Items both rated 0.
    public var a0b0 = 0

    /// No items yet.
    public init() {}

    /// The counts of `pairs` (A's value, B's value); any non-zero value reads as 1.
    public init(_ pairs: [(Int, Int)]) {
        for (a, b) in pairs { add(a, b) }
    }

    /// Counts one item.
    public mutating func add(_ a: Int, _ b: Int) {
        switch (a != 0, b != 0) {
        case (true, true): a1b1 += 1
        case (true, false): a1b0 += 1
        case (false, true): a0b1 += 1
        case (false, false): a0b0 += 1
        }
    }

    /// Items counted.
    public var total: Int { a1b1 + a1b0 + a0b1 + a0b0 }

    /// Items the raters disagree on.
    public var disagreements: Int { a1b0 + a0b1 }

    /// The share of items the raters agree on, in [0, 1]; `nil` without items.
    public var observed: Double? {
        total > 0 ? Double(a1b1 + a0b0) / Double(total) : nil
    }

    /// Cohen's κ = (pₒ − pₑ) / (1 − pₑ), with pₑ = pA(1)·pB(1) + pA(0)·pB(0), the agreement the
    /// raters' own rates of 1 would give by chance. In [−1, 1]; `nil` without items, or when
    /// pₑ = 1 (both raters gave one and the same value to every item, so chance explains all).
    public var kappa: Double? {
        guard total > 0 else { return nil }
        let n = Double(total)
        let aOnes = Double(a1b1 + a1b0) / n
        let bOnes = Double(a1b1 + a0b1) / n
        let expected = aOnes * bOnes + (1 - aOnes) * (1 - bOnes)
        guard expected < 1 else { return nil }
        return (Double(a1b1 + a0b0) / n - expected) / (1 - expected)
    }
}
