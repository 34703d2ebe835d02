import Foundation
import Logging
import Shared
import Testing

@testable import Worker

/// What a worker logs as each job ends: the level says how bad, the metadata says which job.
@Suite struct JobEndingLogTests {
    let reference = LeaseReference(jobID: 42, leaseToken: UUID())
    var lease: JobLease { FakeCoordinator.jobLease(reference) }

    @Test func aFailureForGoodIsAWarningWithTheJobsLabelsAndError() {
        let log = JobEndingLog(.failure(JobFailure(lease: reference, retryable: false, error: "HTTP 400: no such model")), of: lease)
        #expect(log.level == .warning)
        #expect(log.message == "job failed: the provider refused it for good")
        #expect(
            log.metadata == [
                "sweep": "fake", "model": "fake", "job": "42", "kind": "generate", "attempt": "1",
                "endpoint": "openai \(FakeCoordinator.endpoint.baseURL) fake", "error": "HTTP 400: no such model",
            ])
        // The lease token proves the lease: it is never written to a log.
        #expect(!log.metadata.values.contains { $0.contains(reference.leaseToken.uuidString) })
        #expect(!log.message.contains("42"))
    }

    @Test func retriesThrottlesAndEveryOtherEndingAreQuieter() {
        let retried = JobEndingLog(.failure(JobFailure(lease: reference, retryable: true, error: "HTTP 503")), of: lease)
        #expect(retried.level == .info && retried.metadata["error"] == "HTTP 503")
        let throttled = JobEndingLog(.failure(JobFailure(lease: reference, retryable: true, error: "HTTP 429", throttled: true)), of: lease)
        #expect(throttled.level == .debug)
        let done = JobEndingLog(.result(JobResult(lease: reference, samples: [], usage: Usage(requests: 1))), of: lease)
        #expect(done.level == .debug && done.message == "job done" && done.metadata["error"] == nil)
        #expect(JobEndingLog(.release(reference), of: lease).level == .debug)
    }
}
