import Foundation
import Logging
import Shared
import Testing

@testable import Worker

/// Collecting an ended batch: provider output is hostile, reports are cut by
/// size as well as by line count, and a line the coordinator refuses is
/// isolated and dropped rather than failing the batch forever. No sockets:
/// a fake batch API and the in-memory coordinator.
@Suite struct BatchCollectTests {
    /// A batch API whose ended batch holds `lines`.
    struct EndedBatch: BatchAPIStub {
        let lines: [BatchLineResult]

        func progress(of providerBatchID: String, model: ModelSpec) async throws -> BatchProgress {
            BatchProgress(ended: true, providerState: "ended", done: lines.count, failed: 0, total: lines.count)
        }
        func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult] { lines }
    }

    static let model = ModelSpec(name: "fake", provider: .openai, model: "fake", baseURL: FakeCoordinator.endpoint.baseURL)

    static func collectTask() -> BatchTask {
        BatchTask(
            batchID: 9, leaseToken: UUID(), action: .collect, model: model, tag: "t", providerBatchID: "batch_1", createdAt: Date(),
            maxBytes: 1 << 20)
    }

    static func answer(_ index: Int, bytes: Int = 10) -> BatchLineResult {
        BatchLineResult(customID: "j\(index)-s0", outcome: .reply(status: 200, body: Array(String(repeating: "a", count: bytes).utf8)))
    }

    /// Runs one collect task over `lines`; returns the coordinator's record of it.
    static func collect(_ lines: [BatchLineResult], invalid: Set<String> = []) async throws -> FakeCoordinator {
        let coordinator = FakeCoordinator()
        coordinator.change { state in
            state.batchTasks = [collectTask()]
            state.invalidBatchLines = invalid
        }
        let worker = BatchWorker(
            workerID: "w", coordinator: coordinator, keys: KeyRing(environment: [:]), images: ImageCache(fetch: { _ in [] }),
            api: { _ in EndedBatch(lines: lines) }, logger: Logger(label: "test"))
        #expect(try await worker.runOnce(endpoints: [FakeCoordinator.endpoint]))
        return coordinator
    }

    static func lineReports(_ coordinator: FakeCoordinator) -> [(lines: [BatchLineReport], final: Bool)] {
        coordinator.read(\.batchReports).compactMap { report in
            if case .lines(let lines, let final) = report.outcome { return (lines, final) }
            return nil
        }
    }

    @Test func linesTheCoordinatorWouldRefuseNeverGoOut() {
        let (lines, dropped) = BatchLineReports.lines(for: [
            Self.answer(1),
            BatchLineResult(customID: "not-ours", outcome: .reply(status: 200, body: [])),
            BatchLineResult(customID: "j2-s0", outcome: .reply(status: 9000, body: Array("{}".utf8))),
            BatchLineResult(customID: "j3-s1", outcome: .reply(status: 200, body: Array("a\u{0}b".utf8))),
            BatchLineResult(customID: "j4-s0", outcome: .unanswered(reason: "expired")),
        ])
        #expect(dropped == ["not-ours"])
        #expect(
            lines == [
                BatchLineReport(customID: "j1-s0", status: 200, body: "aaaaaaaaaa"),
                BatchLineReport(customID: "j2-s0", status: nil, body: nil, unanswered: "the provider gave status 9000"),
                BatchLineReport(customID: "j3-s1", status: 200, body: "ab"),
                BatchLineReport(customID: "j4-s0", status: nil, body: nil, unanswered: "expired"),
            ])
    }

    @Test func reportsAreCutBySizeAsWellAsByCount() {
        let big = (1...10).map { BatchLineReport(customID: "j\($0)-s0", status: 200, body: String(repeating: "x", count: 1 << 20)) }
        let chunks = BatchLineReports.chunks(big)
        #expect(chunks.count == 4)
        #expect(chunks.joined().map(\.customID) == big.map(\.customID))
        for chunk in chunks {
            #expect(chunk.map(BatchLineReports.approximateBytes).reduce(0, +) <= RequestSplitting.maxBytes)
        }
        let small = (1...1001).map { BatchLineReport(customID: "j\($0)-s0", status: 200, body: "{}") }
        #expect(BatchLineReports.chunks(small).map(\.count) == [500, 500, 1])
        // One line larger than the limit still goes, alone.
        let huge = [BatchLineReport(customID: "j1-s0", status: 200, body: String(repeating: "x", count: 5 << 20))]
        #expect(BatchLineReports.chunks(huge + small.prefix(2)).map(\.count) == [1, 2])
        #expect(BatchLineReports.chunks([]) == [[]])
    }

    @Test func aLineTheCoordinatorRefusesIsIsolatedAndDroppedAndTheBatchCloses() async throws {
        let lines = (1...8).map { Self.answer($0) }
        let coordinator = try await Self.collect(lines, invalid: ["j6-s0"])
        let reports = Self.lineReports(coordinator)
        let accepted = reports.filter { !$0.lines.contains { $0.customID == "j6-s0" } }
        #expect(accepted.flatMap(\.lines).map(\.customID).sorted() == (1...8).filter { $0 != 6 }.map { "j\($0)-s0" }.sorted())
        #expect(reports.last?.final == true)
        #expect(accepted.filter(\.final).count == 1)
        #expect(!coordinator.read(\.batchReports).contains { if case .retryLater = $0.outcome { true } else { false } })
    }

    @Test func theLastLineRefusedStillClosesTheBatch() async throws {
        let coordinator = try await Self.collect([Self.answer(1), Self.answer(2)], invalid: ["j2-s0"])
        let reports = Self.lineReports(coordinator)
        #expect(reports.last?.lines.isEmpty == true)
        #expect(reports.last?.final == true)
        #expect(reports.flatMap(\.lines).filter { $0.customID == "j1-s0" }.count == 2)
    }

    @Test func aBatchWithAnswersButNoResultsIsAnUnusableReply() throws {
        let gemini = JSONValue.object([
            "name": .string("batches/1"),
            "metadata": .object([
                "state": .string("BATCH_STATE_SUCCEEDED"),
                "batchStats": .object(["requestCount": .string("3"), "successfulRequestCount": .string("3")]),
                "output": .object(["responsesFile": .string("files/out")]),
            ]),
        ])
        #expect(throws: ProviderFailure.self) { try GeminiBatchAPI.results(in: gemini) }
        let geminiFailed = JSONValue.object([
            "metadata": .object(["state": .string("BATCH_STATE_FAILED"), "batchStats": .object(["failedRequestCount": .int(3)])])
        ])
        #expect(try GeminiBatchAPI.results(in: geminiFailed).isEmpty)

        let openAI = JSONValue.object([
            "status": .string("completed"), "request_counts": .object(["total": .int(3), "completed": .int(3), "failed": .int(0)]),
        ])
        let failure = try #require(throws: ProviderFailure.self) { try OpenAIBatchAPI.resultFiles(of: openAI) }
        #expect(failure.retryable)
        #expect(failure.message.contains("names no output or error file"))
        let expired = JSONValue.object(["status": .string("expired"), "request_counts": .object(["completed": .int(0)])])
        #expect(try OpenAIBatchAPI.resultFiles(of: expired).isEmpty)
        var withFiles = openAI.objectValue ?? [:]
        withFiles["output_file_id"] = .string("file-1")
        withFiles["error_file_id"] = .null
        #expect(try OpenAIBatchAPI.resultFiles(of: .object(withFiles)) == ["file-1"])
    }
}
