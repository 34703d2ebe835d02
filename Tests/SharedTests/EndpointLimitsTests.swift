import Shared
import Testing

/// Models of one sweep on one endpoint share its bucket, with the tightest limits any sets.
@Suite struct EndpointLimitsTests {
    private func model(_ name: String, endpoint: String, rpm: Double?, tpm: Double? = nil, inFlight: Int? = nil) -> ModelSpec {
        ModelSpec(name: name, provider: .openai, model: endpoint, baseURL: "https://api.example/v1", rpm: rpm, tpm: tpm, maxInFlight: inFlight)
    }

    @Test func eachLimitIsTheTightestSetAndUnsetNeverLifts() {
        let merged = EndpointLimits.merged([
            model("target", endpoint: "m", rpm: 500, inFlight: 20),
            model("judge", endpoint: "m", rpm: nil, tpm: 90_000),
            model("second", endpoint: "m", rpm: 800, inFlight: 30),
            model("other", endpoint: "a", rpm: nil),
        ])
        #expect(merged.map(\.endpoint.model) == ["a", "m"], "one entry per endpoint, in a fixed order")
        let shared = merged[1].limits
        #expect(shared.rpm == 500 && shared.tpm == 90_000 && shared.maxInFlight == 20 && shared.burst == nil)
        #expect(merged[0].limits.rpm == nil, "an endpoint nobody limits still probes")
    }
}
