import Foundation
import Shared

@testable import Worker

/// Small values for the worker's pure cores.
enum CoreFixtures {
    static func lease(_ jobID: Int64, token: UInt8 = 0) -> LeaseReference {
        LeaseReference(jobID: jobID, leaseToken: UUID(uuid: (token, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: jobID))))
    }

    static func result(_ jobID: Int64, token: UInt8 = 0, text: String = "an answer") -> JobEnding {
        .result(JobResult(lease: lease(jobID, token: token), samples: [SampleResult(sampleIndex: 0, outcome: .answer, text: text)]))
    }

    static func failure(_ jobID: Int64, token: UInt8 = 0) -> JobEnding {
        .failure(JobFailure(lease: lease(jobID, token: token), retryable: true, error: "HTTP 503"))
    }

    static func release(_ jobID: Int64, token: UInt8 = 0) -> JobEnding {
        .release(lease(jobID, token: token))
    }

    static let endpointA = EndpointKey(provider: .openai, baseURL: "http://a.invalid/v1", model: "a")
    static let endpointB = EndpointKey(provider: .anthropic, baseURL: "http://b.invalid", model: "b")
}
