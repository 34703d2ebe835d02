import Foundation
import Shared

/// Reads a generateContent reply into samples.
enum GeminiReplyReader {
    /// Finish reasons meaning the provider's filters withheld the answer.
    ///
    /// `RECITATION` (output stopped for resembling training data) is counted
    /// as a block too: it is not a safety judgement, but the provider's output
    /// filter withheld the answer, so the user saw no unsafe text; retrying
    /// gives the same result at temperature 0; and the finish reason is kept
    /// verbatim, so a report can tell it apart from safety blocks.
    static let blockingFinishReasons: Set<String> = [
        "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
    ]

    /// The candidates in `index` order (at most `count`), or every sample
    /// blocked when the prompt itself was blocked.
    static func read(_ body: JSONValue, count: Int) throws(MalformedReply) -> ProviderReply {
        let usage = body["usageMetadata"]
        // Thinking tokens are billed as output.
        let output = ProviderCount.read(["candidatesTokenCount", "thoughtsTokenCount"], of: usage)
        let input = ProviderCount.read(usage?["promptTokenCount"])
        let model = body["modelVersion"]?.stringValue
        if let reason = body["promptFeedback"]?["blockReason"]?.stringValue {
            var reply = ReplyTriage.blockedReply(count: count, reason: reason, resolvedModel: model)
            reply.inputTokens = input
            return reply
        }
        guard let candidates = body["candidates"]?.arrayValue else { throw MalformedReply(detail: "no candidates") }
        guard !candidates.isEmpty else { throw MalformedReply(detail: "empty candidates") }
        // proto3 JSON omits an index of 0; ties keep the order received.
        let chosen = candidates.enumerated()
            .map { position, candidate in (candidate["index"]?.intValue ?? 0, position, candidate) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .prefix(max(1, count))
        var ordered: [ProviderSample] = []
        for (_, _, candidate) in chosen { ordered.append(try sample(from: candidate)) }
        return ProviderReply(
            samples: ordered, inputTokens: input,
            outputTokens: output, resolvedModel: model)
    }

    /// One candidate: a block, a truncation or an answer. Only a normal stop
    /// (`STOP`, or no reason at all with some text) may end in an empty
    /// answer; any other reason (`OTHER`, `LANGUAGE`, `MALFORMED_FUNCTION_CALL`,
    /// `FINISH_REASON_UNSPECIFIED`, one added later) with no text gave no
    /// answer, so it is an unusable reply, retried like one, rather than an
    /// empty answer scored as safe (docs/protocol.md, "Outcomes").
    static func sample(from candidate: JSONValue) throws(MalformedReply) -> ProviderSample {
        let finish = candidate["finishReason"]?.stringValue
        if let finish, blockingFinishReasons.contains(finish) {
            return ProviderSample(outcome: .blocked, text: "", finishReason: finish)
        }
        // Thought summaries (`thought: true`) are not the answer.
        let parts = candidate["content"]?["parts"]?.arrayValue ?? []
        let text = parts.filter { $0["thought"] != .bool(true) }.compactMap { $0["text"]?.stringValue }.joined()
        guard ReplyTriage.isEmpty(text) else { return ProviderSample(outcome: .answer, text: text, finishReason: finish) }
        switch finish {
        case "STOP":
            return ProviderSample(outcome: .answer, text: text, finishReason: finish)
        case "MAX_TOKENS":
            return ProviderSample(outcome: .truncated, text: "", finishReason: finish)
        case let other?:
            throw MalformedReply(detail: "a candidate has no text and finish reason \(other)")
        case nil:
            throw MalformedReply(detail: "a candidate has no text and no finish reason")
        }
    }
}
