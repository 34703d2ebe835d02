import Shared
import Testing

@testable import Worker

@Suite struct CoordinatorRefusalTests {
    @Test(arguments: [400, 413, 422])
    func invalidRequestsAreNeverSentAgain(_ status: Int) {
        #expect(CoordinatorRefusal(CoordinatorClientError(status: status, message: "bad")) == .invalid)
    }

    @Test(arguments: [401, 403])
    func aRefusedTokenStopsTheWorker(_ status: Int) {
        #expect(CoordinatorRefusal(CoordinatorClientError(status: status, message: "no")) == .unauthorized)
    }

    @Test(arguments: [404, 409, 429, 500, 502, 503])
    func otherStatusesAreTriedAgain(_ status: Int) {
        #expect(CoordinatorRefusal(CoordinatorClientError(status: status, message: "later")) == .transient)
    }

    @Test func transportErrorsAreTriedAgain() {
        struct Unreachable: Error {}
        #expect(CoordinatorRefusal(Unreachable()) == .transient)
        #expect(CoordinatorRefusal(CancellationError()) == .transient)
    }
}
