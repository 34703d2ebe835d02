import Foundation
import Shared
import Testing
import Worker

/// Model profiles as the codecs apply them (docs/architecture.md, "Model profiles"): token
/// fields, sampling parameters, thinking budgets, reasoning tokens in usage, and 400s that
/// refuse a parameter.
@Suite struct ProfileCodecTests {
    typealias F = ProviderFixtures

    /// A call for `model` with temperature 0.7 and a 512-token answer unless said otherwise.
    func call(
        _ provider: Provider, _ model: String, reasoning: Bool? = nil, thinkingBudget: Int? = nil,
        params: [String: JSONValue] = [:], temperature: Double? = 0.7, maxTokens: Int? = 512, count: Int = 1
    ) -> ModelCall {
        ModelCall(
            model: ModelSpec(
                name: "entry-\(model)", provider: provider, model: model, params: params, reasoning: reasoning,
                thinkingBudget: thinkingBudget),
            prompt: "Which option? (A) yes (B) no", image: F.image, imageMediaType: "image/png", firstSample: 0, count: count,
            temperature: temperature, maxTokens: maxTokens)
    }

    func body(_ call: ModelCall) throws -> JSONValue {
        try F.body(of: ProviderCodecs.codec(for: call.model.provider).request(for: call, apiKey: "k", timeout: 30))
    }

    // MARK: OpenAI

    @Test(arguments: ["o1", "o3", "o3-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini", "gpt-5.2-pro", "openai/o3"])
    func openAIReasoningModelsSendMaxCompletionTokensAndNoSampling(model: String) throws {
        let sent = try body(call(.openai, model))
        #expect(sent["max_completion_tokens"] == .int(Int64(512 + ModelProfile.defaultThinkingRoom)))
        #expect(sent["max_tokens"] == nil)
        #expect(sent["temperature"] == nil)
        #expect(sent["top_p"] == nil)
    }

    @Test(arguments: ["gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest", "llama3.1:8b", "omni-moderation"])
    func otherOpenAIModelsKeepMaxTokensAndTemperature(model: String) throws {
        let sent = try body(call(.openai, model))
        #expect(sent["max_tokens"] == .int(512))
        #expect(sent["max_completion_tokens"] == nil)
        #expect(sent["temperature"] == .double(0.7))
    }

    @Test func reasoningEffortGoesThroughParamsAndTheSweepFileOverridesTheTable() throws {
        let effort = try body(call(.openai, "o3", params: ["reasoning_effort": .string("low")]))
        #expect(effort["reasoning_effort"] == .string("low"))
        // An Azure deployment named anything: `reasoning: true` makes it a reasoning model.
        let deployment = try body(call(.openai, "my-deployment", reasoning: true, thinkingBudget: 1000))
        #expect(deployment["max_completion_tokens"] == .int(1512))
        #expect(deployment["temperature"] == nil)
        let off = try body(call(.openai, "o3", reasoning: false))
        #expect(off["max_tokens"] == .int(512))
        #expect(off["temperature"] == .double(0.7))
    }

    @Test func mcqaBudgetIsRaisedForReasoningModels() throws {
        let spec = ModelSpec(name: "o3", provider: .openai, model: "o3")
        let mcqa = spec.request(for: .mcqa)
        #expect(mcqa.tokenField == .maxCompletionTokens)
        #expect(mcqa.maxTokens == 5 + ModelProfile.defaultThinkingRoom)
        #expect(mcqa.temperature == nil)
        let plain = ModelSpec(name: "4o", provider: .openai, model: "gpt-4o").request(for: .mcqa)
        #expect(plain == TaskRequest(tokenField: .maxTokens, maxTokens: 5, temperature: 0))
    }

    @Test func theOldParamsFlagStillWorks() throws {
        let flagged = try body(call(.openai, "gpt-4o", params: ["max_completion_tokens": .bool(true)], maxTokens: 2000))
        #expect(flagged["max_completion_tokens"] == .int(2000))
        #expect(flagged["max_tokens"] == nil)
        let fixed = try body(call(.openai, "o3", params: ["max_completion_tokens": .int(4096)]))
        #expect(fixed["max_completion_tokens"] == .int(4096))
        #expect(fixed["max_tokens"] == nil)
    }

    @Test func reasoningTokensCountAsOutputInUsageAndCost() throws {
        let reply = try F.reply(OpenAICodec().decode(F.response(200, Self.openAIReasoningReply), for: call(.openai, "o3")))
        #expect(reply.samples.first?.text == "B")
        #expect(reply.outputTokens == 1190)
        let usage = Usage(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens)
        #expect(abs(usage.cost(at: Price(inputPerMTok: 2, outputPerMTok: 8)) - (400 * 2 + 1190 * 8) / 1e6) < 1e-12)
    }

    // MARK: Anthropic

    @Test(arguments: ["claude-opus-4-7", "claude-opus-4-8", "claude-sonnet-5", "claude-opus-5", "claude-mythos-preview"])
    func anthropicModelsWithoutSamplingGetNoTemperature(model: String) throws {
        let sent = try body(call(.anthropic, model))
        #expect(sent["temperature"] == nil)
        #expect(sent["max_tokens"] == .int(Int64(512 + ModelProfile.defaultThinkingRoom)))
        #expect(sent["thinking"] == nil)
        // They think adaptively only: a budget asks for adaptive thinking.
        let thinking = try body(call(.anthropic, model, thinkingBudget: 4000))
        #expect(thinking["thinking"] == .object(["type": .string("adaptive")]))
        #expect(thinking["max_tokens"] == .int(4512))
    }

    @Test(arguments: ["claude-sonnet-4-5-20250929", "claude-haiku-4-5", "claude-sonnet-4-6", "claude-opus-4-1", "claude-3-7-sonnet-latest"])
    func olderAnthropicModelsKeepTemperatureUntilThinkingIsAsked(model: String) throws {
        let plain = try body(call(.anthropic, model))
        #expect(plain["temperature"] == .double(0.7))
        #expect(plain["max_tokens"] == .int(512))
        let thinking = try body(call(.anthropic, model, thinkingBudget: 2048))
        #expect(thinking["thinking"] == .object(["type": .string("enabled"), "budget_tokens": .int(2048)]))
        #expect(thinking["max_tokens"] == .int(2048 + 512))
        #expect(thinking["temperature"] == nil)
        // Without a task limit, Anthropic's required max_tokens is the default answer plus the budget.
        let unlimited = try body(call(.anthropic, model, thinkingBudget: 2048, maxTokens: nil))
        #expect(unlimited["max_tokens"] == .int(Int64(ModelProfile.anthropicDefaultAnswerTokens + 2048)))
    }

    @Test func thinkingBlocksAreNotTheAnswerAndTheirTokensAreOutput() throws {
        let reply = try F.reply(AnthropicCodec().decode(F.response(200, Self.anthropicThinkingReply), for: call(.anthropic, "claude-sonnet-4-5")))
        #expect(reply.samples.map(\.text) == ["B"])
        #expect(reply.outputTokens == 812)
    }

    // MARK: Gemini

    @Test func geminiThinkingBudgetGoesInThinkingConfig() throws {
        let sent = try body(call(.gemini, "gemini-2.5-flash", thinkingBudget: 1024))
        let config = try #require(sent["generationConfig"])
        #expect(config["thinkingConfig"] == .object(["thinkingBudget": .int(1024)]))
        #expect(config["maxOutputTokens"] == .int(1536))
        #expect(config["temperature"] == .double(0.7))
        // Zero turns Gemini's thinking off and adds no room.
        let off = try body(call(.gemini, "gemini-2.5-flash", thinkingBudget: 0))
        #expect(off["generationConfig"]?["thinkingConfig"] == .object(["thinkingBudget": .int(0)]))
        #expect(off["generationConfig"]?["maxOutputTokens"] == .int(512))
        // params may add to the thinkingConfig without losing the budget.
        let merged = try body(
            call(
                .gemini, "gemini-2.5-pro", thinkingBudget: 2048,
                params: ["generationConfig": .object(["thinkingConfig": .object(["includeThoughts": .bool(true)])])]))
        #expect(merged["generationConfig"]?["thinkingConfig"] == .object(["thinkingBudget": .int(2048), "includeThoughts": .bool(true)]))
    }

    @Test func geminiThinkingModelsGetRoomAndOlderOnesDoNot() throws {
        let thinking = try body(call(.gemini, "gemini-2.5-pro"))
        #expect(thinking["generationConfig"]?["maxOutputTokens"] == .int(Int64(512 + ModelProfile.defaultThinkingRoom)))
        #expect(thinking["generationConfig"]?["thinkingConfig"] == nil)
        let older = try body(call(.gemini, "gemini-2.0-flash"))
        #expect(older["generationConfig"]?["maxOutputTokens"] == .int(512))
    }

    @Test func geminiThoughtsCountAsOutput() throws {
        let reply = try F.reply(GeminiCodec().decode(F.response(200, Self.geminiThinkingReply), for: call(.gemini, "gemini-2.5-pro")))
        #expect(reply.samples.map(\.text) == ["B"])
        #expect(reply.outputTokens == 1 + 655)
        let usage = Usage(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens)
        #expect(abs(usage.cost(at: Price(inputPerMTok: 1.25, outputPerMTok: 10)) - (300 * 1.25 + 656 * 10) / 1e6) < 1e-12)
    }

    // MARK: Refused parameters

    @Test func anOpenAIRefusedParameterIsNamedWithTheFieldToChange() throws {
        let failure = try #require(
            F.failure(OpenAICodec().decode(F.response(400, Self.openAIUnsupportedTemperature), for: call(.openai, "my-deployment"))))
        #expect(!failure.retryable)
        #expect(failure.status == 400)
        #expect(failure.message.hasPrefix("HTTP 400: the model refuses `temperature`"))
        #expect(failure.message.contains("remove `temperature` and `mcqa_temperature` in the sweep file's entry `entry-my-deployment`"))
        #expect(failure.message.contains("set `reasoning: true`"))
        #expect(failure.message.contains("Unsupported parameter: 'temperature' is not supported with this model."))
        let maxTokens = try #require(
            F.failure(OpenAICodec().decode(F.response(400, Self.openAIUnsupportedMaxTokens), for: call(.openai, "o3", reasoning: false))))
        #expect(maxTokens.message.hasPrefix("HTTP 400: the model refuses `max_tokens`: set `reasoning: true`"))
        let fromParams = try #require(
            F.failure(
                OpenAICodec().decode(
                    F.response(400, Self.openAIUnsupportedTopP), for: call(.openai, "o3", params: ["top_p": .double(0.9)]))))
        #expect(fromParams.message.contains("remove `top_p` from `params` in the sweep file's entry `entry-o3`"))
    }

    @Test func anAnthropicRefusedParameterIsNamed() throws {
        let failure = try #require(
            F.failure(AnthropicCodec().decode(F.response(400, Self.anthropicDeprecatedTemperature), for: call(.anthropic, "claude-next"))))
        #expect(!failure.retryable)
        #expect(failure.message.hasPrefix("HTTP 400: the model refuses `temperature`"))
        #expect(failure.message.contains("`reasoning: true`"))
        let budget = try #require(
            F.failure(AnthropicCodec().decode(F.response(400, Self.anthropicBudgetTooSmall), for: call(.anthropic, "claude-sonnet-4-5"))))
        #expect(budget.message.contains("the model refuses `thinking.enabled.budget_tokens`: change or remove `thinking_budget`"))
    }

    @Test func ofTwoParametersNamedTheOneFromParamsIsTheOneToChange() throws {
        let both = """
            {"type": "error", "error": {"type": "invalid_request_error",
             "message": "`temperature` and `top_p` cannot both be specified for this model. Please use only one."}}
            """
        let failure = try #require(
            F.failure(
                AnthropicCodec().decode(F.response(400, both), for: call(.anthropic, "claude-sonnet-4-5", params: ["top_p": .double(0.9)]))))
        #expect(failure.message.hasPrefix("HTTP 400: the model refuses `top_p`: remove `top_p` from `params` in the sweep file's entry"))
    }

    @Test func aGeminiRefusedFieldIsNamed() throws {
        let failure = try #require(
            F.failure(GeminiCodec().decode(F.response(400, Self.geminiUnknownThinkingConfig), for: call(.gemini, "gemini-2.0-flash"))))
        #expect(!failure.retryable)
        #expect(failure.message.hasPrefix("HTTP 400: the model refuses `thinkingConfig`: change or remove `thinking_budget`"))
    }

    @Test func otherBadRequestsKeepTheirMessage() throws {
        let failure = try #require(F.failure(AnthropicCodec().decode(F.response(400, AnthropicWire.invalidRequest), for: call(.anthropic, "claude"))))
        #expect(!failure.message.contains("refuses"))
    }

    // MARK: Recorded bodies

    static let openAIReasoningReply = """
        {"id": "chatcmpl-1", "object": "chat.completion", "model": "o3-2025-04-16",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "B", "refusal": null}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 400, "completion_tokens": 1190, "total_tokens": 1590,
                   "completion_tokens_details": {"reasoning_tokens": 1152, "audio_tokens": 0}}}
        """
    static let anthropicThinkingReply = """
        {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
         "content": [{"type": "thinking", "thinking": "The image shows…", "signature": "EqQB"},
                     {"type": "redacted_thinking", "data": "EmwK"}, {"type": "text", "text": "B"}],
         "stop_reason": "end_turn", "usage": {"input_tokens": 420, "output_tokens": 812}}
        """
    static let geminiThinkingReply = """
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "B"}]}, "finishReason": "STOP", "index": 0}],
         "usageMetadata": {"promptTokenCount": 300, "candidatesTokenCount": 1, "thoughtsTokenCount": 655, "totalTokenCount": 956},
         "modelVersion": "gemini-2.5-pro"}
        """
    static let openAIUnsupportedTemperature = """
        {"error": {"message": "Unsupported parameter: 'temperature' is not supported with this model.",
                   "type": "invalid_request_error", "param": "temperature", "code": "unsupported_parameter"}}
        """
    static let openAIUnsupportedMaxTokens = """
        {"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                   "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}}
        """
    static let openAIUnsupportedTopP = """
        {"error": {"message": "Unsupported parameter: 'top_p' is not supported with this model.", "code": "invalid_request_body"}}
        """
    static let anthropicDeprecatedTemperature = """
        {"type": "error", "error": {"type": "invalid_request_error", "message": "`temperature` is deprecated for this model."},
         "request_id": "req_011"}
        """
    static let anthropicBudgetTooSmall = """
        {"type": "error", "error": {"type": "invalid_request_error",
         "message": "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"}}
        """
    static let geminiUnknownThinkingConfig = """
        {"error": {"code": 400, "status": "INVALID_ARGUMENT",
         "message": "Invalid JSON payload received. Unknown name \\"thinkingConfig\\" at 'generation_config': Cannot find field."}}
        """
}
