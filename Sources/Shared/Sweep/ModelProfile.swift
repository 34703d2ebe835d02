/// A model's request rules (docs/architecture.md, "Model profiles"): which token field
/// carries the limit, whether sampling parameters are sent, and how thinking is asked for.
///
/// The table (`ModelProfile.table`) knows today's reasoning models by their ids; a sweep
/// file's `reasoning: true|false` overrides it and `thinking_budget` asks for thinking;
/// `params` stays the escape hatch, laid over whatever the profile builds.
public struct ModelProfile: Sendable, Equatable {
    /// The model thinks before it answers: its token limits gain thinking room and,
    /// for OpenAI and Anthropic, sampling parameters are not sent.
    public var reasoning: Bool
    /// Where `reasoning` came from.
    public var source: ProfileSource
    /// Whether `temperature` is sent (reasoning models of OpenAI and Anthropic refuse it).
    public var sendsSampling: Bool
    /// The request member that carries the token limit.
    public var tokenField: TokenField
    /// How thinking is asked for; `nil`: it is not.
    public var thinking: ThinkingRequest?
    /// Tokens added to each task's answer limit so the model can think and still answer.
    public var thinkingRoom: Int
    /// The answer limit sent when a task sets none (`nil`: send no limit); Anthropic requires one.
    public var defaultAnswerTokens: Int?

    /// Thinking room of a reasoning model whose sweep entry gives no `thinking_budget`:
    /// enough for a reasoning model to think through a multiple-choice question and still
    /// write the letter (MCQA's official 5 tokens alone are used up before any answer).
    public static let defaultThinkingRoom = 2048
    /// Anthropic's `max_tokens` is required; this is the answer limit when a task sets none.
    public static let anthropicDefaultAnswerTokens = 1024
    /// Anthropic's smallest `budget_tokens`.
    public static let anthropicMinimumThinkingBudget = 1024

    /// Creates a profile; `ModelSpec.profile` is the usual way to get one.
    public init(
        reasoning: Bool, source: ProfileSource, sendsSampling: Bool, tokenField: TokenField, thinking: ThinkingRequest?,
        thinkingRoom: Int, defaultAnswerTokens: Int?
    ) {
        self.reasoning = reasoning
        self.source = source
        self.sendsSampling = sendsSampling
        self.tokenField = tokenField
        self.thinking = thinking
        self.thinkingRoom = thinkingRoom
        self.defaultAnswerTokens = defaultAnswerTokens
    }

    /// The token limit sent for a task whose answer limit is `answerTokens`: the answer
    /// plus the thinking room; `nil` when neither the task nor the profile sets one.
    public func tokenLimit(answerTokens: Int?) -> Int? {
        (answerTokens ?? defaultAnswerTokens).map { $0 + thinkingRoom }
    }

    /// Whether requests differ from what the sweep file's task settings alone would send
    /// (the profiles' absence before they existed): reasoning, thinking, room or no sampling.
    public var changesRequest: Bool {
        reasoning || thinking != nil || thinkingRoom > 0 || !sendsSampling
    }

    /// The temperature sent for a task asking `temperature` (`nil`: none is sent).
    public func temperature(_ temperature: Double?) -> Double? {
        sendsSampling ? temperature : nil
    }
}

/// Where a profile's `reasoning` came from.
public enum ProfileSource: String, Sendable, Equatable, Codable {
    /// The table in the code, by model id.
    case table
    /// The sweep file's `reasoning` field.
    case sweepFile = "sweep_file"
}

/// The request member that carries a token limit.
public enum TokenField: String, Sendable, Equatable, Codable {
    /// Chat Completions' deprecated field, still the one other OpenAI-wire servers know; Anthropic's field.
    case maxTokens = "max_tokens"
    /// Chat Completions' field for reasoning models (it counts reasoning tokens too).
    case maxCompletionTokens = "max_completion_tokens"
    /// Gemini's `generationConfig.maxOutputTokens` (it counts thinking tokens too).
    case maxOutputTokens = "maxOutputTokens"
}

/// How thinking is asked for.
public enum ThinkingRequest: Sendable, Equatable {
    /// A budget in tokens: Anthropic `thinking: {type: enabled, budget_tokens}`,
    /// Gemini `thinkingConfig.thinkingBudget` (0 turns Gemini's thinking off).
    /// OpenAI has no budget parameter: the budget only widens `max_completion_tokens`.
    case budget(Int)
    /// Anthropic's newest models take no budget: `thinking: {type: adaptive}`.
    case adaptive

    /// `enabled` with a budget, or `adaptive`, as reports name it.
    public var label: String {
        switch self {
        case .budget(let tokens): "budget \(tokens)"
        case .adaptive: "adaptive"
        }
    }
}

extension ModelSpec {
    /// This entry's request rules: the table's, with the sweep file's `reasoning` and
    /// `thinking_budget` applied.
    public var profile: ModelProfile {
        let rules = ModelProfile.table(provider: provider, model: model)
        let reasoning = self.reasoning ?? rules.reasoning
        var thinking: ThinkingRequest?
        if let budget = thinkingBudget {
            switch provider {
            case .anthropic where budget == 0: thinking = nil
            case .anthropic where rules.adaptiveThinkingOnly: thinking = .adaptive
            case .anthropic, .gemini: thinking = .budget(budget)
            case .openai, .mock: thinking = nil
            }
        }
        let sendsSampling: Bool
        switch provider {
        // Anthropic refuses `temperature` with thinking on, and its newest models refuse it always.
        case .anthropic: sendsSampling = !reasoning && thinking == nil
        case .openai, .mock: sendsSampling = !reasoning
        // Gemini's thinking models take sampling parameters.
        case .gemini: sendsSampling = true
        }
        let tokenField: TokenField =
            switch provider {
            case .openai, .mock: reasoning ? .maxCompletionTokens : .maxTokens
            case .anthropic: .maxTokens
            case .gemini: .maxOutputTokens
            }
        return ModelProfile(
            reasoning: reasoning, source: self.reasoning == nil ? .table : .sweepFile, sendsSampling: sendsSampling,
            tokenField: tokenField, thinking: thinking,
            thinkingRoom: thinkingBudget ?? (reasoning ? ModelProfile.defaultThinkingRoom : 0),
            defaultAnswerTokens: provider == .anthropic ? ModelProfile.anthropicDefaultAnswerTokens : nil)
    }
}

extension ModelProfile {
    /// What the table knows about a model id.
    public struct TableRules: Sendable, Equatable {
        /// The model is a reasoning model.
        public var reasoning: Bool
        /// Anthropic models that take `thinking: {type: adaptive}` and no budget.
        public var adaptiveThinkingOnly: Bool
    }

    /// The table: OpenAI's o-series (`o1`, `o3`, `o4`, …) and gpt-5 family (not its
    /// `-chat` models) are reasoning models; so are Anthropic's models from Claude Opus 4.7
    /// and the 5 generation on (they refuse `temperature`, `top_p` and `top_k` and think
    /// adaptively only), and Gemini from 2.5 on (they think by default). The mock provider
    /// speaks OpenAI's wire, so its models follow OpenAI's names. Ids may carry a route
    /// prefix (`openai/o3`, `models/gemini-2.5-pro`); anything else is not a reasoning model.
    public static func table(provider: Provider, model: String) -> TableRules {
        let id = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
        switch provider {
        case .openai, .mock:
            return TableRules(reasoning: isOpenAIReasoning(id), adaptiveThinkingOnly: false)
        case .anthropic:
            let newest = isAnthropicSamplingFree(id)
            return TableRules(reasoning: newest, adaptiveThinkingOnly: newest)
        case .gemini:
            return TableRules(reasoning: isGeminiThinking(id), adaptiveThinkingOnly: false)
        }
    }

    /// `o1`, `o3-mini`, `o4-mini-2025-04-16`, `gpt-5`, `gpt-5.2-pro`; not `gpt-5-chat-latest`.
    static func isOpenAIReasoning(_ id: String) -> Bool {
        if id.hasPrefix("gpt-5") { return !id.contains("-chat") }
        guard id.first == "o", let digit = id.dropFirst().first, digit.isNumber else { return false }
        let rest = id.dropFirst(2)
        return rest.isEmpty || rest.first == "-"
    }

    /// `claude-opus-4-7`, `claude-opus-4-8`, `claude-sonnet-5`, `claude-opus-5`, and the
    /// unversioned newest families (`claude-mythos-…`, `claude-fable-…`).
    static func isAnthropicSamplingFree(_ id: String) -> Bool {
        let parts = id.split(separator: "-").map(String.init)
        guard parts.first == "claude", parts.count >= 2 else { return false }
        if ["mythos", "fable"].contains(parts[1]) { return true }
        // The version is the first run of short numeric parts, after the family (`claude-opus-4-7`)
        // or before it (`claude-3-7-sonnet`); dates are eight digits.
        func isVersion(_ part: String) -> Bool { part.count <= 2 && Int(part) != nil }
        let version = parts.dropFirst().drop { !isVersion($0) }.prefix(while: isVersion).compactMap { Int($0) }
        guard let major = version.first else { return false }
        let minor = version.dropFirst().first ?? 0
        return major > 4 || (major == 4 && minor >= 7)
    }

    /// `gemini-2.5-pro`, `gemini-2.5-flash-lite`, `gemini-3-pro-preview`; not `gemini-2.0-flash`.
    static func isGeminiThinking(_ id: String) -> Bool {
        let parts = id.split(separator: "-")
        guard parts.first == "gemini", parts.count >= 2, let version = Double(parts[1]) else { return false }
        return version >= 2.5
    }
}
