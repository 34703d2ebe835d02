/// How rates are turned into the percentages reports show.
enum Percent {
    /// `hits / count` ×100, rounded half away from zero to two decimals; `nil` when `count` is 0,
    /// since an empty group has no rate (0 would read as "never safe").
    ///
    /// Computed from integers so that, say, 1/8 gives exactly 12.5 rather than 12.499….
    static func rate(_ hits: Int, of count: Int) -> Double? {
        guard count > 0 else { return nil }
        return (Double(hits * 10_000) / Double(count)).rounded() / 100
    }
}
