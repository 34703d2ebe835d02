import Foundation

/// The shortest wall time any scheduler could achieve under the provider's
/// limits, given the requests the run actually needed (docs/architecture.md, "Tests and benchmarks": benchmarks
/// print ratios against this bound).
///
/// An endpoint with rate `r` per second and bucket `b` (burst plus the mock's
/// slack) can have sent at most `b + r·t` requests `t` seconds after it first
/// may send, so its `N`th request leaves no earlier than `(N − b)/r` and is
/// answered `L` (the latency) later. A target may send at 0; the judge only
/// once the first generation answer is back, at `L`. And the last generate
/// request of a target leaves no earlier than `(G − b)/r`, after which its
/// answer and then its judges' answers each take `L`: a chain of `2L`.
struct RateLimitBound {
    struct Term {
        var label: String
        var seconds: Double
    }

    var terms: [Term] = []

    /// The bound: the longest of the terms.
    var seconds: Double { terms.map(\.seconds).max() ?? 0 }
    var binding: Term? { terms.max { $0.seconds < $1.seconds } }

    init(stats: MockStats, fixture: SweepBenchFixture) {
        let latency = Double(fixture.latencyMilliseconds) / 1000
        func drain(_ requests: Int, rpm: Double) -> Double {
            let bucket = SweepBenchFixture.burst(rpm: rpm) + Double(fixture.limitSlack)
            return max(0, Double(requests) - bucket) / (rpm / 60)
        }
        for model in SweepBenchFixture.targets {
            let served = stats.models[model]?.served ?? 0
            terms.append(
                Term(
                    label: "\(model): \(served) requests at \(Self.format(fixture.targetRPM)) rpm, + \(Self.format(latency)) s for the last answer",
                    seconds: drain(served, rpm: fixture.targetRPM) + latency))
        }
        let judged = stats.models[SweepBenchFixture.judge]?.served ?? 0
        terms.append(
            Term(
                label:
                    "judge: first answer to grade after \(Self.format(latency)) s, \(judged) requests at \(Self.format(fixture.judgeRPM)) rpm, + \(Self.format(latency)) s",
                seconds: latency + drain(judged, rpm: fixture.judgeRPM) + latency))
        terms.append(
            Term(
                label:
                    "chain: a target's last of \(fixture.cases) generate requests, then its answer and its judges' answers (2 × \(Self.format(latency)) s)",
                seconds: drain(fixture.cases, rpm: fixture.targetRPM) + 2 * latency))
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
