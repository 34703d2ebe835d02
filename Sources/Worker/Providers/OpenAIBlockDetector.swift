import Foundation
import Shared

/// Recognises the error replies with which OpenAI-style servers refuse a
/// prompt on safety grounds; those are `blocked` outcomes, not failures.
enum OpenAIBlockDetector {
    /// OpenAI's codes (or types) for a prompt its moderation rejected.
    static let blockingCodes: Set<String> = ["content_policy_violation", "invalid_prompt"]

    /// The reason to record when `body` is a safety block, else `nil`.
    static func blockReason(status: Int, body: JSONValue, details: ProviderErrorDetails) -> String? {
        switch status {
        case 400:
            if let name = [details.code, details.type].compactMap({ $0 }).first(where: blockingCodes.contains) {
                return name
            }
            // Azure: code `content_filter`, innererror `ResponsibleAIPolicyViolation`.
            let inner = body["error"]?["innererror"]?["code"]?.stringValue
            if details.code == "content_filter" || inner == "ResponsibleAIPolicyViolation" {
                return "content_filter"
            }
            return nil
        case 403:
            return isOpenRouterModeration(body: body, details: details) ? "moderation" : nil
        default:
            return nil
        }
    }

    /// OpenRouter's moderation 403: `error.metadata.reasons`, or a message
    /// about moderation or flagged input.
    private static func isOpenRouterModeration(body: JSONValue, details: ProviderErrorDetails) -> Bool {
        if body["error"]?["metadata"]?["reasons"] != nil { return true }
        let message = details.message?.lowercased() ?? ""
        // "flagged" alone could be about the account, which is no block.
        let aboutInput = ["input", "prompt", "content"].contains(where: message.contains)
        return message.contains("moderation") || (message.contains("flagged") && aboutInput)
    }
}
