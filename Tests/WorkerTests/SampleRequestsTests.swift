import Shared
import Testing

@testable import Worker

/// How a generate job's missing samples become requests.
@Suite struct SampleRequestsTests {
    @Test func consecutiveMissingSamplesShareARequestUpToTheLimit() {
        let runs = GenerateJob.requests(for: Array(0..<300) + [302, 303], multiSample: true)
        #expect(runs.map(\.first) == [0, 128, 256, 302])
        #expect(runs.map(\.count) == [128, 128, 44, 2])
        #expect(runs.allSatisfy { $0.count <= DeferredCall.maxSamples })
    }

    @Test func withoutMultiSampleEachSampleIsARequest() {
        let runs = GenerateJob.requests(for: [0, 1, 5], multiSample: false)
        #expect(runs.map(\.first) == [0, 1, 5])
        #expect(runs.map(\.count) == [1, 1, 1])
    }
}
