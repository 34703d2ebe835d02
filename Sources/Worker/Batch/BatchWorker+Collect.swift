import Foundation
import Shared

extension BatchWorker {
    /// Reports an ended batch's lines in chunks, the last one closing it.
    /// Lines that are not ours are dropped first; a chunk the coordinator
    /// still refuses as invalid is sent again as halves, down to the one line
    /// at fault, which is dropped (its job runs live once the batch closes),
    /// so one bad line cannot keep the batch from closing.
    func collect(_ task: BatchTask, _ results: [BatchLineResult]) async throws {
        let (lines, dropped) = BatchLineReports.lines(for: results)
        for customID in dropped {
            logger.warning(
                "a batch result line names no job of ours; dropped",
                metadata: ["batch": "\(task.batchID)", "custom_id": "\(customID.prefix(80))"])
        }
        let chunks = BatchLineReports.chunks(lines, maxLines: linesPerReport)
        for (index, chunk) in chunks.enumerated() {
            try await deliver(task, chunk, final: index == chunks.count - 1)
        }
        logger.info("batch collected", metadata: ["batch": "\(task.batchID)", "lines": "\(lines.count)"])
    }

    /// Sends one chunk of lines, halving it while the coordinator refuses it as invalid.
    private func deliver(_ task: BatchTask, _ chunk: [BatchLineReport], final: Bool) async throws {
        do {
            try await report(task, .lines(chunk, final: final))
        } catch  where CoordinatorRefusal(error) == .invalid && !chunk.isEmpty {
            guard chunk.count > 1 else {
                logger.error(
                    "the coordinator refused a batch line as invalid; dropped, its job will run live",
                    metadata: ["batch": "\(task.batchID)", "custom_id": "\(chunk[0].customID)", "error": "\(error)"])
                if final { try await report(task, .lines([], final: true)) }
                return
            }
            let (first, second) = RequestSplitting.halves(chunk)
            try await deliver(task, first, final: false)
            try await deliver(task, second, final: final)
        }
    }
}
