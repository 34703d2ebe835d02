import Foundation
import Shared

/// The most text one answer may carry. A job's result goes to the coordinator
/// in one request, which refuses bodies over 16 MiB; an answer it could never
/// store would be dropped and the job paid for again. So a reply holding a
/// larger answer (no model writes a mebibyte within a token limit: it is a
/// runaway or a hostile server) is a permanent failure, with a clear error,
/// never a result (docs/protocol.md, "Attempts, throttles and given-back jobs").
enum AnswerLimit {
    /// Bytes of UTF-8 text one answer may hold.
    static let maxBytes = 1 << 20

    /// `outcome`, or a permanent failure when one of its answers is longer than `maxBytes`.
    static func check(_ outcome: Result<ProviderReply, ProviderFailure>) -> Result<ProviderReply, ProviderFailure> {
        guard case .success(let reply) = outcome,
            let longest = reply.samples.map(\.text.utf8.count).max(), longest > maxBytes
        else { return outcome }
        return .failure(
            ProviderFailure(
                retryable: false, status: 200,
                message: "HTTP 200: an answer of \(longest) bytes is longer than the \(maxBytes) bytes a result may carry per answer"))
    }
}
