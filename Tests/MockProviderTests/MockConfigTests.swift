import Foundation
import MockProvider
import Testing

@Suite struct MockConfigTests {
    @Test func modelsInheritTheTopLevelAndOverrideFields() throws {
        let config = try MockConfig.parse(
            Data(
                """
                {
                  "latency_ms": {"mean": 100, "jitter": 20},
                  "faults": {"status_500": 0.01, "reset": 0.02},
                  "models": {
                    "slow-one": {"rpm": 30, "burst": 2, "limit_slack": 1, "faults": {"reset": 0}, "max_choices": 1},
                    "grader": {"role": "judge", "garbage_first": 2, "weights": {"safe": 1}}
                  }
                }
                """.utf8))
        #expect(config.defaults.latency == MockLatency(meanMs: 100, jitterMs: 20))
        let slow = config.profile(for: "slow-one")
        #expect(slow.rpm == 30 && slow.effectiveBurst == 2 && slow.limitSlack == 1 && slow.maxChoices == 1)
        #expect(slow.faults == [.status500: 0.01, .reset: 0])
        #expect(slow.latency.meanMs == 100)
        let grader = config.profile(for: "grader")
        #expect(grader.role(of: "grader") == .judge && grader.garbageFirst == 2 && grader.weights == [.safe: 1])
        #expect(config.profile(for: "other") == config.defaults)
        #expect(
            MockModelProfile(
                role: nil, weights: [:], effectiveness: [:], mcqaAccuracy: 0, mcqaUnparseable: 0, unparseable: 0, refusal: 0,
                garbageFirst: 0, maxChoices: nil, latency: MockLatency(), rpm: 120, burst: nil, limitSlack: 0,
                faults: [:], hangSeconds: 1
            ).effectiveBurst == 2)
    }

    @Test func misspeltOrInvalidFieldsAreRefusedByName() {
        #expect(throws: MockConfigError.self) { try MockConfig.parse(Data(#"{"latency": {"mean": 1}}"#.utf8)) }
        do {
            _ = try MockConfig.parse(Data(#"{"models": {"m": {"faults": {"status_500": 2}}}}"#.utf8), file: "mock.json")
            Issue.record("accepted a rate above 1")
        } catch let error as MockConfigError {
            #expect(error.field == "models.m.faults.status_500")
            #expect(error.description.hasPrefix("mock.json: models.m.faults.status_500:"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: MockConfigError.self) { try MockConfig.parse(Data(#"{"role": "boss"}"#.utf8)) }
        #expect(throws: MockConfigError.self) { try MockConfig.parse(Data(#"{"weights": {"safe": 0}}"#.utf8)) }
        #expect(throws: MockConfigError.self) { try MockConfig.parse(Data("{".utf8)) }
    }
}
