import Foundation
import Shared

/// The request members a reasoning model's rules look at.
struct MockRequestOptions: Sendable, Equatable {
    /// Top-level members sent, and Gemini's `generationConfig` members.
    var keys: Set<String> = []
    /// The token limit sent (`max_tokens`, `max_completion_tokens`, `maxOutputTokens`).
    var tokenLimit: Int?
    /// Anthropic `thinking.type` (`enabled`, `adaptive`, `disabled`).
    var thinkingType: String?
    /// Anthropic `thinking.budget_tokens`, Gemini `thinkingConfig.thinkingBudget`.
    var thinkingBudget: Int?
    /// The temperature sent.
    var temperature: Double?

    init() {}

    /// Reads `body` as `format` sends it.
    init(body: JSONValue, format: MockWireFormat) {
        let members = body.objectValue ?? [:]
        keys = Set(members.keys)
        switch format {
        case .openai:
            tokenLimit = Self.int(members["max_completion_tokens"]) ?? Self.int(members["max_tokens"])
            temperature = Self.double(members["temperature"])
        case .anthropic:
            tokenLimit = Self.int(members["max_tokens"])
            thinkingType = members["thinking"]?["type"]?.stringValue
            thinkingBudget = Self.int(members["thinking"]?["budget_tokens"])
            temperature = Self.double(members["temperature"])
        case .gemini:
            let config = (members["generationConfig"] ?? members["generation_config"])?.objectValue ?? [:]
            keys.formUnion(config.keys)
            tokenLimit = Self.int(config["maxOutputTokens"] ?? config["max_output_tokens"])
            let thinking = config["thinkingConfig"] ?? config["thinking_config"]
            thinkingBudget = Self.int(thinking?["thinkingBudget"] ?? thinking?["thinking_budget"])
            temperature = Self.double(config["temperature"])
        }
    }

    private static func int(_ value: JSONValue?) -> Int? {
        if case .int(let number)? = value { return Int(exactly: number) }
        return nil
    }

    private static func double(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }
}

/// Reasoning models as the mock plays them (docs/mock-provider.md, "Reasoning models"):
/// models the profile table names as reasoning models refuse what their providers refuse,
/// with the providers' documented 400 bodies, and spend tokens thinking before they answer.
public enum MockReasoning {
    /// The fewest and most tokens a thinking answer spends thinking (before any budget).
    public static let thinkingRange = 128..<640

    /// The 400 a reasoning model answers `request` with, or `nil` when it takes it.
    static func refusal(of request: ParsedRequest) -> MockReply? {
        let rules = ModelProfile.table(provider: provider(of: request.format), model: request.model)
        let options = request.options
        switch request.format {
        case .openai where rules.reasoning:
            if options.keys.contains("max_tokens") {
                return openAIError(
                    "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                    param: "max_tokens")
            }
            if let name = ["temperature", "top_p"].first(where: options.keys.contains) {
                return openAIError("Unsupported parameter: '\(name)' is not supported with this model.", param: name)
            }
        case .anthropic:
            if rules.adaptiveThinkingOnly, let name = ["temperature", "top_p", "top_k"].first(where: options.keys.contains) {
                return AnthropicWire().badRequest("`\(name)` is deprecated for this model.")
            }
            if rules.adaptiveThinkingOnly, options.thinkingType == "enabled" {
                return AnthropicWire().badRequest(
                    "`thinking.type.enabled` is not supported for this model. Use `thinking.type.adaptive` and `output_config.effort` to control thinking behavior."
                )
            }
            if options.thinkingType == "enabled", let temperature = options.temperature, temperature != 1 {
                return AnthropicWire().badRequest("`temperature` may only be set to 1 when thinking is enabled.")
            }
        case .openai, .gemini:
            break
        }
        return nil
    }

    /// Tokens each choice thinks: drawn for reasoning models and asked-for thinking, held to the budget.
    static func thinkingTokens(seed: Int, request: ParsedRequest, sample: Int) -> Int {
        let rules = ModelProfile.table(provider: provider(of: request.format), model: request.model)
        let options = request.options
        let thinks: Bool
        switch request.format {
        case .openai: thinks = rules.reasoning
        case .anthropic: thinks = options.thinkingType == "enabled" || options.thinkingType == "adaptive"
        case .gemini: thinks = rules.reasoning || (options.thinkingBudget ?? 0) > 0
        }
        guard thinks, options.thinkingBudget != 0 else { return 0 }
        let u = MockRules.unit(seed: seed, model: request.model, prompt: request.prompt, sample: sample, purpose: "thinking")
        let drawn = thinkingRange.lowerBound + Int(u * Double(thinkingRange.count))
        return min(drawn, options.thinkingBudget ?? .max)
    }

    /// Spends `thinking` tokens before each answer: an answer that no longer fits the limit
    /// is cut (empty, `truncated`). Returns the thinking tokens billed across the answers.
    static func spend(_ thinking: Int, on answers: inout [MockAnswer], limit: Int?) -> Int {
        guard thinking > 0 else { return 0 }
        var billed = 0
        for index in answers.indices {
            billed += min(thinking, limit ?? .max)
            guard let limit, thinking + MockHTTP.tokens(answers[index].text) > limit, answers[index].outcome != .blocked else { continue }
            answers[index] = MockAnswer(task: answers[index].task, outcome: .truncated, text: "")
        }
        return billed
    }

    private static func provider(of format: MockWireFormat) -> Provider {
        switch format {
        case .openai: .openai
        case .anthropic: .anthropic
        case .gemini: .gemini
        }
    }

    /// OpenAI's documented shape for a parameter the model does not take.
    private static func openAIError(_ message: String, param: String) -> MockReply {
        MockHTTP.json(
            .badRequest,
            .object([
                "error": .object([
                    "message": .string(message), "type": .string("invalid_request_error"), "param": .string(param),
                    "code": .string("unsupported_parameter"),
                ])
            ]))
    }
}
