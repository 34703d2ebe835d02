import Foundation
import Shared

@testable import Worker

/// A provider batch API for the batch worker's tests without a provider: each
/// fake states only what its test is about, and everything else answers as a
/// provider that holds no batch (every line fits, nothing is found, a
/// submit or a progress read is no part of the test).
protocol BatchAPIStub: BatchAPI {}

extension BatchAPIStub {
    func submit(
        _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int, beforeCreate: @Sendable () async throws -> Void
    ) async throws -> BatchSubmission {
        throw ProviderFailure(retryable: false, message: "not in this test")
    }
    func included(_ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int) throws -> [String] { lines.map(\.customID) }
    func find(tag: String, lineCount: Int, createdAfter: Date, known: Set<String>, model: ModelSpec) async throws -> String? { nil }
    func progress(of providerBatchID: String, model: ModelSpec) async throws -> BatchProgress {
        throw ProviderFailure(retryable: false, message: "not in this test")
    }
    func cancel(_ providerBatchID: String, model: ModelSpec) async throws {}
    func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult] { [] }
}
