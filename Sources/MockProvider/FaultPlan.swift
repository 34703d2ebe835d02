/// Decides which fault, if any, an arrival suffers.
enum FaultPlan {
    /// The fault for this arrival. The draw includes the process's arrival
    /// counter: a pure function of the request would fail its every retry.
    static func fault(seed: Int, model: String, prompt: String, sample: Int, arrival: UInt64, rates: [MockFault: Double]) -> MockFault? {
        guard rates.values.contains(where: { $0 > 0 }) else { return nil }
        let u = MockRules.unit(seed: seed, model: model, prompt: prompt, sample: sample, purpose: "fault#\(arrival)")
        // Rates are independent shares of [0, 1), in declaration order; past 1 they are cut off.
        var edge = 0.0
        for fault in MockFault.allCases {
            let rate = rates[fault] ?? 0
            edge += rate
            if rate > 0 && u < edge { return fault }
        }
        return nil
    }
}
