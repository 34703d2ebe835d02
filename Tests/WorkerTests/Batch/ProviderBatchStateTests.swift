import Shared
import Testing

@testable import Worker

/// The states the coordinator reads as "the provider failed the whole batch"
/// are states the batch clients report as ended.
@Suite struct ProviderBatchStateTests {
    @Test func everyWholeBatchFailureIsAnEndedState() {
        let ended = OpenAIBatchAPI.endedStates.union(GeminiBatchAPI.endedStates)
        #expect(ProviderBatchState.failedWhole.isSubset(of: ended))
        #expect(ProviderBatchState.failedWhole.contains("failed") && ProviderBatchState.failedWhole.contains("BATCH_STATE_FAILED"))
    }
}
