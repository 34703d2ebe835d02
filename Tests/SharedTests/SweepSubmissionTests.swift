import Foundation
import Shared
import Testing

/// `POST /v1/sweeps` bodies: the optional case limit on the wire.
@Suite struct SweepSubmissionTests {
    private let definition = SweepDefinition(
        name: "s", dataset: DatasetReference(name: "d"), tasks: [.mcqa],
        models: [ModelSpec(name: "m", provider: .mock, model: "m")])

    @Test func theLimitRoundTripsAndMayBeAbsent() throws {
        let limited = try WireCoding.encoder().encode(SweepSubmission(definition: definition, replace: false, limit: 5))
        let object = try #require(try JSONSerialization.jsonObject(with: limited) as? [String: Any])
        #expect(object["limit"] as? Int == 5)
        #expect(try WireCoding.decoder().decode(SweepSubmission.self, from: limited).limit == 5)
        // A client that knows nothing of limits sends none: every case.
        var plain = object
        plain.removeValue(forKey: "limit")
        let decoded = try WireCoding.decoder().decode(SweepSubmission.self, from: try JSONSerialization.data(withJSONObject: plain))
        #expect(decoded.limit == nil && decoded.definition.name == "s")
    }

    @Test func aLimitBelowOneHasAProblem() {
        #expect(SweepSubmission.problem(withLimit: nil) == nil)
        #expect(SweepSubmission.problem(withLimit: 1) == nil)
        #expect(SweepSubmission.problem(withLimit: 0)?.hasPrefix("must be at least 1") == true)
        #expect(SweepSubmission.problem(withLimit: -7)?.contains("-7") == true)
    }
}
