import Foundation
import Shared

/// A request the provider refuses as invalid for the model because of one parameter
/// (OpenAI 400 `unsupported_parameter`/`unsupported_value`, Anthropic 400
/// `invalid_request_error` naming a parameter, Gemini 400 `INVALID_ARGUMENT` naming a
/// field): the failure stays permanent, and its message names the parameter and the
/// sweep-file field that changes it, ahead of the provider's own words.
enum RefusedParameter {
    /// `failure` with the parameter and the field to change named first, when the response
    /// refuses a parameter; `failure` unchanged otherwise.
    static func explain(_ failure: ProviderFailure, response: HTTPClientResponse, call: ModelCall) -> ProviderFailure {
        let details = ProviderErrorDetails(body: JSONValue.parse(response.body), text: response.text)
        guard response.status == 400, var parameter = name(in: details) else { return failure }
        // "`temperature` and `top_p` cannot both be specified": the one the entry's params set is the one to change.
        if let fromParams = names(in: details.message ?? "").first(where: { call.model.params[$0] != nil }) { parameter = fromParams }
        var explained = failure
        let text = "HTTP 400: the model refuses `\(parameter)`: \(advice(for: parameter, model: call.model)) (provider: \(failure.message))"
        explained.message = FailureClassifier.bounded(SecretRedaction.redact(text))
        return explained
    }

    /// The parameter a 400 names as unsupported for the model, when it names one.
    static func name(in details: ProviderErrorDetails) -> String? {
        let message = details.message ?? ""
        let lowered = message.lowercased()
        // OpenAI: `Unsupported parameter: 'max_tokens' is not supported with this model. …`
        if details.names(anyOf: ["unsupported_parameter", "unsupported_value"])
            || lowered.hasPrefix("unsupported parameter") || lowered.hasPrefix("unsupported value")
        {
            return details.param ?? quoted(in: message, by: "'")
        }
        // Anthropic: "`temperature` is deprecated for this model.",
        // "`temperature` and `top_p` cannot both be specified for this model."
        if details.type == "invalid_request_error",
            ["for this model", "not supported", "deprecated", "cannot both"].contains(where: lowered.contains),
            let name = quoted(in: message, by: "`")
        {
            return name
        }
        // Anthropic names a field path first: "thinking.enabled.budget_tokens: Input should be …".
        if details.type == "invalid_request_error", let path = message.split(separator: ":").first,
            path.hasPrefix("thinking") && !path.contains(" ")
        {
            return String(path)
        }
        // Gemini: `Invalid JSON payload received. Unknown name "thinkingConfig" at 'generation_config': …`,
        // or a budget the model does not take ("Budget 0 is invalid. This model only works in thinking mode.").
        if details.type == "INVALID_ARGUMENT" {
            if let range = message.range(of: "Unknown name \""), let name = quoted(in: String(message[range.upperBound...]), closedBy: "\"") {
                return name
            }
            if lowered.contains("thinking") || lowered.contains("budget") { return "thinkingConfig" }
        }
        return nil
    }

    /// Which sweep-file field changes `parameter` for `model`.
    static func advice(for parameter: String, model: ModelSpec) -> String {
        let key = parameter.split(separator: ".").last.map { $0.lowercased() } ?? parameter.lowercased()
        let entry = "in the sweep file's entry `\(model.name)`"
        let config = model.params["generationConfig"]?.objectValue ?? [:]
        if model.params[parameter] != nil || model.params[key] != nil || config[parameter] != nil {
            return "remove `\(parameter)` from `params` \(entry)"
        }
        switch key {
        case "temperature", "top_p", "top_k":
            let reasoning = model.profile.reasoning ? "" : " or set `reasoning: true`"
            return "remove `temperature` and `mcqa_temperature` \(entry)\(reasoning)"
        case "max_tokens":
            return "set `reasoning: true` \(entry) (it sends `max_completion_tokens`)"
        case "max_completion_tokens":
            return "set `reasoning: false` \(entry) (it sends `max_tokens`)"
        case "n", "candidatecount", "candidate_count":
            return "set `multi_sample: false` \(entry)"
        case _ where key.contains("thinking") || key.contains("budget"):
            return "change or remove `thinking_budget` \(entry)"
        default:
            return "change `params`, `reasoning` or `thinking_budget` \(entry)"
        }
    }

    /// Every name the message quotes, in order.
    static func names(in message: String) -> [String] {
        ["`", "'", "\""].flatMap { (mark: Character) in
            // Split on the mark, the odd pieces are the quoted ones.
            message.split(separator: mark, omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }.filter(isPlausibleName)
        }
    }

    /// The first name between two `mark`s, e.g. `'temperature'`.
    private static func quoted(in text: String, by mark: Character) -> String? {
        guard let start = text.firstIndex(of: mark) else { return nil }
        return quoted(in: String(text[text.index(after: start)...]), closedBy: mark)
    }

    /// The text up to `mark`, when it is a plausible parameter name.
    private static func quoted(in rest: String, closedBy mark: Character) -> String? {
        guard let end = rest.firstIndex(of: mark) else { return nil }
        let name = String(rest[..<end])
        return isPlausibleName(name) ? name : nil
    }

    /// Parameter names and paths: `temperature`, `thinking.enabled.budget_tokens`, `messages[0]`.
    private static func isPlausibleName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 80 && name.allSatisfy { $0.isLetter || $0.isNumber || "_.[]".contains($0) }
    }
}
