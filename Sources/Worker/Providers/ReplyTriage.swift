import Foundation
import Shared

/// A 2xx body that lacks what a codec needs; `detail` names what is missing.
struct MalformedReply: Error {
    /// What the body lacked, e.g. "no choices".
    var detail: String
}

/// The steps every codec's `decode` shares: a 2xx goes to the codec's reply
/// reader, an error status is first offered to its block detector (a safety
/// block is an outcome, not a failure), and the rest is classified.
enum ReplyTriage {
    /// Decodes `response` with the codec's two provider-specific parts.
    /// - Parameters:
    ///   - readReply: reads a 2xx JSON object into a reply.
    ///   - blockReason: for an error status, the reason when it is a safety block.
    static func decode(
        _ response: HTTPClientResponse, for call: ModelCall, now: Date,
        readReply: (JSONValue) throws(MalformedReply) -> ProviderReply,
        blockReason: (Int, JSONValue, ProviderErrorDetails) -> String?
    ) -> Result<ProviderReply, ProviderFailure> {
        let body = JSONValue.parse(response.body)
        guard (200...299).contains(response.status) else {
            if let body, let reason = blockReason(response.status, body, ProviderErrorDetails(body: body, text: "")) {
                return .success(blockedReply(count: call.count, reason: reason))
            }
            return .failure(RefusedParameter.explain(FailureClassifier.classify(response, now: now), response: response, call: call))
        }
        guard let body, body.objectValue != nil else {
            return .failure(FailureClassifier.malformedSuccess(status: response.status, detail: "body is not a JSON object"))
        }
        do {
            return .success(try readReply(body))
        } catch {
            return .failure(FailureClassifier.malformedSuccess(status: response.status, detail: error.detail))
        }
    }

    /// `count` blocked samples: a request refused before any answer blocks every sample it asked for.
    static func blockedReply(count: Int, reason: String, resolvedModel: String? = nil) -> ProviderReply {
        ProviderReply(
            samples: Array(
                repeating: ProviderSample(outcome: .blocked, text: "", finishReason: reason),
                count: max(1, count)),
            resolvedModel: resolvedModel)
    }

    /// Whether text counts as empty for the truncation rule: a blank answer is no answer.
    static func isEmpty(_ text: String) -> Bool {
        AnswerText.isBlank(text)
    }
}
