import Foundation
import MockProvider
import Shared
import Testing

/// Reasoning models as the mock plays them (docs/mock-provider.md, "Reasoning models").
@Suite struct MockReasoningTests {
    let seed = 11

    /// A Chat Completions body for `model` with `extra` members.
    func openAIBody(_ model: String, _ extra: [String: Any]) -> [String: Any] {
        var body: [String: Any] = [
            "model": model,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "What is in the picture?"],
                        ["type": "image_url", "image_url": ["url": "data:image/png;base64,\(MockWireClient.image)"]],
                    ],
                ]
            ],
        ]
        body.merge(extra) { $1 }
        return body
    }

    @Test func openAIReasoningModelsRefuseWhatOpenAIRefuses() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            for model in ["o3-mock", "gpt-5-mock"] {
                let maxTokens = try await client.post("/v1/chat/completions", openAIBody(model, ["max_tokens": 100]), headers: [:], sample: nil)
                #expect(maxTokens.status == 400)
                let error = try json(maxTokens)["error"]
                #expect(error?["code"]?.stringValue == "unsupported_parameter")
                #expect(error?["param"]?.stringValue == "max_tokens")
                #expect(
                    error?["message"]?.stringValue
                        == "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.")
                let temperature = try await client.post(
                    "/v1/chat/completions", openAIBody(model, ["temperature": 0, "max_completion_tokens": 3000]), headers: [:], sample: nil)
                #expect(temperature.status == 400)
                #expect(try json(temperature)["error"]?["param"]?.stringValue == "temperature")
            }
            // Other names keep the old behaviour.
            let plain = try await client.openAI(model: "gpt-t", prompt: "What is in the picture?")
            #expect(plain.status == 200)
            #expect(try json(plain)["usage"]?["completion_tokens_details"] == nil)
        }
    }

    @Test func openAIReasoningModelsReportReasoningTokensAndRunOutOfSmallLimits() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            let roomy = try json(
                await client.post("/v1/chat/completions", openAIBody("o3-mock", ["max_completion_tokens": 3000]), headers: [:], sample: nil))
            let usage = try #require(roomy["usage"])
            let reasoning = try #require(usage["completion_tokens_details"]?["reasoning_tokens"]?.intValue)
            #expect(MockReasoning.thinkingRange.contains(reasoning))
            let text = roomy["choices"]?.arrayValue?[0]["message"]?["content"]?.stringValue ?? ""
            #expect(usage["completion_tokens"]?.intValue == reasoning + (text.count + 3) / 4)
            // Five tokens, MCQA's official budget, are spent thinking: the answer is cut.
            let tight = try json(
                await client.post("/v1/chat/completions", openAIBody("o3-mock", ["max_completion_tokens": 5]), headers: [:], sample: nil))
            let choice = tight["choices"]?.arrayValue?[0]
            #expect(choice?["finish_reason"]?.stringValue == "length")
            #expect(choice?["message"]?["content"]?.stringValue == "")
            #expect(tight["usage"]?["completion_tokens"]?.intValue == 5)
        }
    }

    @Test func anthropicNewestModelsRefuseSamplingAndThinkingShowsAsABlock() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            func body(_ model: String, _ extra: [String: Any]) -> [String: Any] {
                var body: [String: Any] = [
                    "model": model, "max_tokens": 3000,
                    "messages": [["role": "user", "content": [["type": "text", "text": "What is in the picture?"]]]],
                ]
                body.merge(extra) { $1 }
                return body
            }
            let refused = try await client.post("/v1/messages", body("claude-opus-4-7", ["temperature": 0.5]), headers: [:], sample: nil)
            #expect(refused.status == 400)
            #expect(try json(refused)["error"]?["type"]?.stringValue == "invalid_request_error")
            #expect(try json(refused)["error"]?["message"]?.stringValue == "`temperature` is deprecated for this model.")
            let budget = try await client.post(
                "/v1/messages", body("claude-opus-4-7", ["thinking": ["type": "enabled", "budget_tokens": 2000]]), headers: [:], sample: nil)
            #expect(budget.status == 400)
            let thinking = try json(
                await client.post(
                    "/v1/messages", body("claude-sonnet-4-5", ["thinking": ["type": "enabled", "budget_tokens": 2000]]), headers: [:], sample: nil))
            let blocks = try #require(thinking["content"]?.arrayValue)
            #expect(blocks.first?["type"]?.stringValue == "thinking")
            let visible = blocks.dropFirst().compactMap { $0["text"]?.stringValue }.joined()
            let output = try #require(thinking["usage"]?["output_tokens"]?.intValue)
            #expect(output > (visible.count + 3) / 4)
            // Older models keep taking a temperature without thinking.
            let plain = try await client.post("/v1/messages", body("claude-sonnet-4-5", ["temperature": 0.5]), headers: [:], sample: nil)
            #expect(plain.status == 200)
        }
    }

    @Test func geminiThinkingModelsReportThoughtsApart() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            func body(_ config: [String: Any]) -> [String: Any] {
                ["contents": [["role": "user", "parts": [["text": "What is in the picture?"]]]], "generationConfig": config]
            }
            let thinking = try json(
                await client.post("/v1beta/models/gemini-2.5-pro:generateContent", body(["maxOutputTokens": 3000]), headers: [:], sample: nil))
            let usage = try #require(thinking["usageMetadata"])
            let thoughts = try #require(usage["thoughtsTokenCount"]?.intValue)
            let candidates = try #require(usage["candidatesTokenCount"]?.intValue)
            #expect(thoughts > 0)
            #expect(usage["totalTokenCount"]?.intValue == usage["promptTokenCount"]!.intValue! + candidates + thoughts)
            let budgeted = try json(
                await client.post(
                    "/v1beta/models/gemini-2.5-pro:generateContent",
                    body(["maxOutputTokens": 3000, "thinkingConfig": ["thinkingBudget": 50]]), headers: [:], sample: nil))
            #expect(budgeted["usageMetadata"]?["thoughtsTokenCount"]?.intValue == 50)
            let off = try json(
                await client.post(
                    "/v1beta/models/gemini-2.5-flash:generateContent", body(["thinkingConfig": ["thinkingBudget": 0]]), headers: [:], sample: nil))
            #expect(off["usageMetadata"]?["thoughtsTokenCount"] == nil)
            let older = try json(await client.post("/v1beta/models/gemini-2.0-flash:generateContent", body([:]), headers: [:], sample: nil))
            #expect(older["usageMetadata"]?["thoughtsTokenCount"] == nil)
        }
    }
}
