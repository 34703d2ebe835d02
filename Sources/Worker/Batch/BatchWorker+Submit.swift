import Foundation
import Shared

extension BatchWorker {
    /// Finds an earlier submission first when one may exist; else sends the
    /// lines, renewing the lease right before the request that pays. An
    /// earlier submission holds the lines that fit then, which packing the
    /// same lines again tells (it is deterministic): the search looks for
    /// that many, and the report names those.
    func submit(_ task: BatchTask, to provider: any BatchAPI) async throws -> BatchOutcome {
        let lines = try await batchLines(of: task)
        if task.searchFirst {
            let since = task.createdAt.addingTimeInterval(-120)
            let included = try provider.included(lines, model: task.model, tag: task.tag, maxBytes: task.maxBytes)
            if let found = try await provider.find(
                tag: task.tag, lineCount: included.count, createdAfter: since, known: Set(task.knownProviderBatchIDs), model: task.model)
            {
                logger.info(
                    "found an earlier submission of a batch; not sending it again",
                    metadata: ["batch": "\(task.batchID)", "provider_batch": "\(found)"])
                return .submitted(providerBatchID: found, included: included)
            }
            if task.abandonIfMissing { return .missing }
        }
        let coordinator = self.coordinator
        let submission = try await provider.submit(lines, model: task.model, tag: task.tag, maxBytes: task.maxBytes) {
            guard try await coordinator.renewBatch(task.batchID, leaseToken: task.leaseToken) else { throw LostBatchLease() }
        }
        logger.info(
            "batch submitted",
            metadata: ["batch": "\(task.batchID)", "provider_batch": "\(submission.providerBatchID)", "lines": "\(submission.included.count)"])
        return .submitted(providerBatchID: submission.providerBatchID, included: submission.included)
    }

    /// The task's lines as the calls they stand for, with their images.
    private func batchLines(of task: BatchTask) async throws -> [BatchLine] {
        var lines: [BatchLine] = []
        for line in task.lines {
            let image = try await images.image(sha256: line.imageSHA256)
            let call = ModelCall(
                model: task.model, prompt: line.call.prompt, image: image, imageMediaType: line.imageMediaType,
                firstSample: line.call.firstSample, count: line.call.count, temperature: line.call.temperature, maxTokens: line.call.maxTokens)
            lines.append(BatchLine(customID: line.customID, call: call))
        }
        return lines
    }
}
