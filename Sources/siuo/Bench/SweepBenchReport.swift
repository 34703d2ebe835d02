import Foundation

/// The figures `siuo bench sweep` prints, and whether its goals are met:
/// efficiency ≥ 0.95 (with --adaptive: 0.90 when the limits are learned from
/// headers, 0.70 when probed), no over-limit arrival, coordinator CPU < 5% of wall.
struct SweepBenchReport {
    let fixture: SweepBenchFixture
    let outcome: SweepWatch.Outcome
    let stats: MockStats

    static func header(_ fixture: SweepBenchFixture, jobs: Int, workers: Int, concurrency: Int) {
        let targets = SweepBenchFixture.targets.count
        Console.line(
            "siuo bench sweep: \(fixture.cases) cases × \(targets) targets, \(fixture.samples) samples (one request each), judge, MCQA: "
                + "\(jobs) jobs submitted (judge jobs follow); \(workers) worker processes × concurrency \(concurrency)")
        let limits =
            "targets \(RateLimitBound.format(fixture.targetRPM)) rpm (burst \(RateLimitBound.format(SweepBenchFixture.burst(rpm: fixture.targetRPM)))), "
            + "judge \(RateLimitBound.format(fixture.judgeRPM)) rpm (burst \(RateLimitBound.format(SweepBenchFixture.burst(rpm: fixture.judgeRPM))))"
        Console.line("mock: latency \(fixture.latencyMilliseconds) ms, limits \(limits), limit_slack \(fixture.limitSlack)")
        Console.line(
            fixture.adaptive
                ? "sweep: no rpm (learned from the mock's limit headers; on the Gemini wire, which states none, probed: from 60/min, doubling every ~5 s until a 429 halves it)"
                : "sweep: the same rpm and burst")
    }

    func print() {
        let wall = outcome.wallSeconds
        let kinds = outcome.doneByKind.map { "\($0.kind) \($0.jobs)" }.joined(separator: ", ")
        Console.line(outcome.finished ? "done: \(kinds); \(outcome.failed) failed" : "NOT FINISHED within the timeout: \(kinds)")
        let bound = RateLimitBound(stats: stats, fixture: fixture)
        let efficiency = bound.seconds / wall
        Console.line(String(format: "wall time            %7.1f s", wall))
        Console.line(String(format: "rate-limit bound     %7.1f s  (the longest of:)", bound.seconds))
        for term in bound.terms.sorted(by: { $0.seconds > $1.seconds }) {
            Console.line(String(format: "  %7.1f s  ", term.seconds) + term.label)
        }
        // Given limits: 0.95. Learned from limit headers: 0.90; probed (no headers): 0.70.
        let goal = !fixture.adaptive ? 0.95 : fixture.wire == .gemini ? 0.70 : 0.90
        Console.line(
            String(format: "efficiency           %7.3f", efficiency) + "  (bound / wall; goal ≥ \(goal): \(verdict(efficiency >= goal)))")
        for (name, model) in stats.models.sorted(by: { $0.key < $1.key }) {
            Console.line(
                "  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(model.requests) requests, \(model.served) served, "
                    + "\(model.tooManyRequests) × 429, \(model.overLimit) over limit, peak \(model.peakInFlight) in flight")
        }
        Console.line("over-limit arrivals  \(stats.totals.overLimit)  (goal 0: \(verdict(stats.totals.overLimit == 0)))")
        Console.line("429s seen            \(stats.totals.tooManyRequests)")
        let coordinatorShare = outcome.coordinator.cpuSeconds / wall
        Console.line(usage("coordinator", outcome.coordinator) + "  (goal < 5%: \(verdict(coordinatorShare < 0.05)))")
        for (index, worker) in outcome.workers.enumerated() {
            Console.line(usage("worker \(index + 1)", worker))
        }
        if fixture.adaptive { printConvergence(efficiency: efficiency) }
    }

    private func usage(_ label: String, _ usage: ProcessUsage) -> String {
        label.padding(toLength: 20, withPad: " ", startingAt: 0)
            + String(
                format: " CPU %6.2f s = %5.1f%% of wall, peak RSS %4.0f MB",
                usage.cpuSeconds, usage.cpuSeconds / outcome.wallSeconds * 100, Double(usage.peakResidentBytes) / 1_048_576)
    }

    private func verdict(_ met: Bool) -> String {
        met ? "met" : "MISSED"
    }

    /// Per endpoint: when the adaptive rate first reached 90% of the mock's
    /// limit, how often it fell, and its mean over the run against the limit.
    private func printConvergence(efficiency: Double) {
        Console.line("adaptive rate (sampled each second; the mock's limit in brackets):")
        let models = SweepBenchFixture.targets + [SweepBenchFixture.judge]
        for model in models {
            let limit = fixture.rpm(of: model)
            let series = outcome.rates.compactMap { sample in sample.rpm[model].map { (sample.seconds, $0) } }
            let reached = series.first { $0.1 >= 0.9 * limit }.map { String(format: "at %.0f s", $0.0) } ?? "never"
            let falls = zip(series, series.dropFirst()).filter { $1.1 < $0.1 }.count
            let mean = series.isEmpty ? 0 : series.map(\.1).reduce(0, +) / Double(series.count)
            let peak = series.map(\.1).max() ?? 0
            let last = series.last?.1 ?? 0
            Console.line(
                "  \(model.padding(toLength: 9, withPad: " ", startingAt: 0)) [\(Int(limit))]: 90% of the limit reached \(reached); "
                    + String(format: "peak %.0f, final %.0f, mean %.0f (%.0f%% of the limit); ", peak, last, mean, mean / limit * 100)
                    + "fell \(falls) times; \(stats.models[model]?.tooManyRequests ?? 0) × 429")
        }
        let checkpoints = outcome.rates.filter { Int($0.seconds) % 15 == 0 }
        for sample in checkpoints {
            Console.line(String(format: "  %4.0f s: ", sample.seconds) + models.map { "\($0) \(Int(sample.rpm[$0] ?? 0))" }.joined(separator: ", "))
        }
    }
}
