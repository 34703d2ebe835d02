import Foundation
import Shared

/// Reads a Chat Completions reply into samples.
enum OpenAIReplyReader {
    /// The choices in `index` order (at most `count`), with usage and model.
    static func read(_ body: JSONValue, count: Int) throws(MalformedReply) -> ProviderReply {
        guard let choices = body["choices"]?.arrayValue else {
            // OpenRouter reports upstream errors inside a 200 this way.
            let said = body["error"]?["message"]?.stringValue.map { ": " + $0 } ?? ""
            throw MalformedReply(detail: "no choices" + said)
        }
        guard !choices.isEmpty else { throw MalformedReply(detail: "empty choices") }
        var indexed: [(index: Int, position: Int, sample: ProviderSample)] = []
        for (position, choice) in choices.enumerated() {
            indexed.append((choice["index"]?.intValue ?? position, position, try sample(from: choice)))
        }
        let ordered = indexed.sorted { ($0.index, $0.position) < ($1.index, $1.position) }
            .prefix(max(1, count)).map(\.sample)
        let usage = body["usage"]
        return ProviderReply(
            samples: Array(ordered),
            inputTokens: ProviderCount.read(usage?["prompt_tokens"]),
            outputTokens: ProviderCount.read(usage?["completion_tokens"]),
            resolvedModel: body["model"]?.stringValue,
            systemFingerprint: body["system_fingerprint"]?.stringValue)
    }

    /// One choice: a provider refusal, a content-filter block, a truncation or an answer.
    static func sample(from choice: JSONValue) throws(MalformedReply) -> ProviderSample {
        guard let message = choice["message"], message.objectValue != nil else {
            throw MalformedReply(detail: "a choice has no message")
        }
        let finish = choice["finish_reason"]?.stringValue
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            return ProviderSample(outcome: .refusal, text: refusal, finishReason: finish)
        }
        if finish == "content_filter" {
            return ProviderSample(outcome: .blocked, text: "", finishReason: finish)
        }
        let text = content(of: message["content"])
        if finish == "length", ReplyTriage.isEmpty(text) {
            return ProviderSample(outcome: .truncated, text: "", finishReason: finish)
        }
        // OpenRouter ends a choice whose upstream call broke with `error`: no answer, not an empty one scored as safe.
        if finish == "error", ReplyTriage.isEmpty(text) {
            throw MalformedReply(detail: "a choice has no text and finish reason error")
        }
        return ProviderSample(outcome: .answer, text: text, finishReason: finish)
    }

    /// `content` as a string, or the joined `text` of its parts; `null` is empty.
    static func content(of value: JSONValue?) -> String {
        if let text = value?.stringValue { return text }
        let parts = value?.arrayValue ?? []
        return parts.compactMap { $0["text"]?.stringValue }.joined()
    }
}
