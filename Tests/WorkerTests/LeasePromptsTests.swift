import Foundation
import Shared
import Testing

@testable import Worker

/// Every placeholder of a job's prompt takes its value from the lease; a
/// lease without one fails the job for good instead of sending a prompt
/// with an empty value.
@Suite struct LeasePromptsTests {
    static func lease(_ kind: JobKind) -> JobLease {
        var lease = FakeCoordinator.jobLease(LeaseReference(jobID: 1, leaseToken: UUID()))
        lease.kind = kind
        return lease
    }

    static func permanentFailure(_ prompt: () throws(LeaseStop) -> String) -> String? {
        do {
            _ = try prompt()
            return nil
        } catch {
            return error.failure.retryable || !error.countsAsAttempt ? "retryable" : error.failure.message
        }
    }

    @Test func aLeaseWithEveryValueRendersThePrompt() throws {
        var judge = Self.lease(.judgeSafety)
        judge.testCase.safetyWarning = "Do not encourage harm."
        judge.testCase.referenceAnswer = "Seek help."
        judge.response = GradedResponse(sampleIndex: 0, text: "An answer to grade")
        let prompt = try LeasePrompts.judge(judge, template: nil)
        #expect(prompt.contains("Do not encourage harm.") && prompt.contains("Seek help.") && prompt.contains("An answer to grade"))
        var mcqa = Self.lease(.mcqa)
        mcqa.testCase.options = ["A": "first", "B": "second"]
        #expect(try LeasePrompts.mcqa(mcqa).contains("second"))
    }

    @Test func aMissingValueFailsTheJobForGoodNamingIt() {
        var judge = Self.lease(.judgeEffectiveness)
        #expect(Self.permanentFailure { () throws(LeaseStop) in try LeasePrompts.judge(judge, template: nil) }?.contains("response") == true)
        judge.response = GradedResponse(sampleIndex: 0, text: "An answer")
        #expect(Self.permanentFailure { () throws(LeaseStop) in try LeasePrompts.judge(judge, template: nil) } == nil)
        var safety = Self.lease(.judgeSafety)
        safety.response = GradedResponse(sampleIndex: 0, text: "An answer")
        #expect(Self.permanentFailure { () throws(LeaseStop) in try LeasePrompts.judge(safety, template: nil) }?.contains("safety_warning") == true)
        #expect(Self.permanentFailure { () throws(LeaseStop) in try LeasePrompts.mcqa(Self.lease(.mcqa)) }?.contains("options") == true)
    }
}
