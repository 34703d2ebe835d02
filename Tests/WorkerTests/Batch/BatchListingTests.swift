import Foundation
import Shared
import Testing

@testable import Worker

/// The search for an earlier submission reads listed batches' creation times strictly: a time it
/// cannot read must not make it miss the batch and send (and pay for) it again.
@Suite struct BatchListingTests {
    @Test func aListedBatchWithoutAReadableTimeIsAMalformedReplyThatIsRetried() throws {
        let read = try BatchListing.created(.string("2024-09-24T18:37:24.100435Z"), of: .string("msgbatch_1"))
        #expect(abs(read.timeIntervalSince1970 - 1_727_203_044.100435) < 1e-6)
        for value: JSONValue? in [nil, .string("24 Sep 2024"), .int(1_727_203_044)] {
            let failure = #expect(throws: ProviderFailure.self) { try BatchListing.created(value, of: .string("msgbatch_1")) }
            #expect(failure?.retryable == true)
            #expect(failure?.message.contains("msgbatch_1") == true, "\(String(describing: failure))")
        }
    }

    @Test func aPageIsOlderOnlyWhenEveryTimeOnItIsOlderByTheMargin() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(BatchListing.pageIsOlder([now.addingTimeInterval(-301)], than: now))
        #expect(!BatchListing.pageIsOlder([now.addingTimeInterval(-301), now.addingTimeInterval(-10)], than: now))
        #expect(!BatchListing.pageIsOlder([], than: now))
    }
}
