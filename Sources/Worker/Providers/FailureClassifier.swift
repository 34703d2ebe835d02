import Foundation
import Shared

/// The one place that decides whether a failed call may be retried and
/// whether it means the provider is pushing back (docs/protocol.md, "Attempts, throttles and given-back jobs").
///
/// | Response                                               | retryable | throttled |
/// |--------------------------------------------------------|-----------|-----------|
/// | body mentions `insufficient_quota` (any status, 429 too)| no       | no        |
/// | 413, or body says "request too large"/`request_too_large`| no      | no        |
/// | 429, 529, or Anthropic `overloaded_error`              | yes       | yes       |
/// | 408, 409, other 5xx                                    | yes       | no        |
/// | 2xx whose body is not JSON or lacks expected fields    | yes       | no        |
/// | other 4xx (400, 401, 403, 404, 422, …), 1xx, 3xx       | no        | no        |
///
/// A 400 refusing a parameter for the model keeps its class; `RefusedParameter` names the
/// parameter and the sweep-file field to change in its message.
public enum FailureClassifier {
    /// Longest provider message kept, so a runaway body cannot flood logs.
    static let messageLimit = 300

    /// Classifies an error response (any status outside 2xx) and reads the wait it asked for.
    public static func classify(_ response: HTTPClientResponse, now: Date) -> ProviderFailure {
        let body = JSONValue.parse(response.body)
        let details = ProviderErrorDetails(body: body, text: response.text)
        let lowered = response.text.lowercased()
        let overloaded = details.names(anyOf: ["overloaded_error"])
        let throttled = response.status == 429 || response.status == 529 || overloaded
        let permanent =
            lowered.contains("insufficient_quota")
            || response.status == 413 || lowered.contains("request_too_large") || lowered.contains("request too large")
            || !(throttled || isRetryableStatus(response.status))
        let retryable = !permanent
        return ProviderFailure(
            retryable: retryable,
            throttled: retryable && throttled,
            retryAfter: retryable ? RetryAfter.delay(headers: response.headers, body: response.body, now: now) : nil,
            status: response.status,
            message: message(status: response.status, details: details))
    }

    /// A 2xx reply that cannot be used: the body is not JSON or lacks `detail`.
    /// `detail` may quote the provider (an error message inside a 200), so it
    /// is redacted and bounded like any provider message.
    public static func malformedSuccess(status: Int, detail: String) -> ProviderFailure {
        ProviderFailure(retryable: true, status: status, message: bounded(SecretRedaction.redact("HTTP \(status): unusable reply: \(detail)")))
    }

    /// 408, 409 and 5xx may pass on another try; other statuses will not.
    static func isRetryableStatus(_ status: Int) -> Bool {
        status == 408 || status == 409 || (500...599).contains(status)
    }

    /// `HTTP 429 (rate_limit_exceeded): Rate limit reached …`, redacted and bounded.
    static func message(status: Int, details: ProviderErrorDetails) -> String {
        var text = "HTTP \(status)"
        // Gemini's code repeats the status; its `status` (RESOURCE_EXHAUSTED) is the useful name.
        if let name = [details.code, details.type].compactMap({ $0 }).first(where: { $0 != String(status) }) {
            text += " (\(name))"
        }
        if let message = details.message, !message.isEmpty { text += ": " + message }
        return bounded(SecretRedaction.redact(text))
    }

    /// `text` cut to `messageLimit` characters, so a runaway body cannot flood logs.
    static func bounded(_ text: String) -> String {
        text.count > messageLimit ? String(text.prefix(messageLimit)) + "…" : text
    }
}
