import Foundation
import Shared

/// What a provider said about an error, from the shapes they use:
/// `{"error": {"message", "type", "code"}}` (OpenAI, Anthropic),
/// `{"error": {"code": 429, "message", "status"}}` (Gemini),
/// `{"error": "..."}` (Ollama, vLLM) and `{"detail": "..."}` (FastAPI servers).
struct ProviderErrorDetails: Sendable, Equatable {
    /// The human-readable message.
    var message: String?
    /// `error.type` (OpenAI, Anthropic) or `error.status` (Gemini).
    var type: String?
    /// `error.code`, as text.
    var code: String?
    /// `error.param` (OpenAI): the request member the error is about.
    var param: String?

    /// Reads `body` (parsed) or, when it is not JSON, the start of its plain text.
    init(body: JSONValue?, text: String) {
        if let error = body?["error"], let members = error.objectValue {
            message = members["message"]?.stringValue
            type = members["type"]?.stringValue ?? members["status"]?.stringValue
            code = Self.text(of: members["code"])
            param = members["param"]?.stringValue
        } else if let body {
            message = body["error"]?.stringValue ?? body["message"]?.stringValue ?? body["detail"]?.stringValue
        } else {
            // An HTML error page from a proxy says nothing useful in a job's last error.
            let plain = text.trimmingCharacters(in: .whitespacesAndNewlines)
            message = plain.isEmpty || plain.hasPrefix("<") ? nil : plain
        }
    }

    /// Whether `type` or `code` is one of `names`.
    func names(anyOf names: Set<String>) -> Bool {
        [type, code].contains { $0.map(names.contains) ?? false }
    }

    /// Codes are strings for OpenAI and numbers for Gemini.
    private static func text(of value: JSONValue?) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        default: nil
        }
    }
}
