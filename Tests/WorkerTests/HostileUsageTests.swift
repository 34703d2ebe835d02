import Foundation
import Prometheus
import Shared
import SiuoTestSupport
import Testing

@testable import Worker

/// Token and request counts a provider states are hostile input: negative,
/// enormous or ill-typed counts are clamped where they are read, and sums
/// never overflow.
@Suite struct HostileUsageTests {
    typealias F = ProviderFixtures

    @Test func countsAreClampedToZeroAndTheLimit() {
        #expect(ProviderCount.read(.int(-5)) == 0)
        #expect(ProviderCount.read(.int(.max)) == ProviderCount.limit)
        #expect(ProviderCount.read(.double(1e300)) == ProviderCount.limit)
        #expect(ProviderCount.read(.double(-1e300)) == 0)
        #expect(ProviderCount.read(.double(.nan)) == 0)
        #expect(ProviderCount.read(.double(2.5)) == 0)
        #expect(ProviderCount.read(.double(12)) == 12)
        #expect(ProviderCount.read(.string("12")) == 12)
        #expect(ProviderCount.read(.string("-12")) == 0)
        #expect(ProviderCount.read(.string("many")) == 0)
        #expect(ProviderCount.read(.bool(true)) == 0)
        #expect(ProviderCount.read(nil) == 0)
        #expect(ProviderCount.sum([.max, .max, -3]) == ProviderCount.limit)
        #expect(ProviderCount.sum([4, -3, 5]) == 9)
    }

    @Test func openAIUsageIsClamped() throws {
        let body =
            #"{"choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":-40,"completion_tokens":9223372036854775807}}"#
        let reply = try F.reply(OpenAICodec().decode(F.response(200, body), for: F.call(.openai)))
        #expect(reply.inputTokens == 0)
        #expect(reply.outputTokens == ProviderCount.limit)
    }

    @Test func anthropicUsageSumsWithoutOverflow() throws {
        let body = """
            {"content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","usage":{"input_tokens":9223372036854775807,\
            "cache_creation_input_tokens":9223372036854775807,"cache_read_input_tokens":-1,"output_tokens":-7}}
            """
        let reply = try F.reply(AnthropicCodec().decode(F.response(200, body), for: F.call(.anthropic)))
        #expect(reply.inputTokens == ProviderCount.limit)
        #expect(reply.outputTokens == 0)
    }

    @Test func geminiUsageSumsWithoutOverflow() throws {
        let body = """
            {"candidates":[{"content":{"parts":[{"text":"hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":-3,\
            "candidatesTokenCount":9223372036854775807,"thoughtsTokenCount":9223372036854775807}}
            """
        let reply = try F.reply(GeminiCodec().decode(F.response(200, body), for: F.call(.gemini)))
        #expect(reply.inputTokens == 0)
        #expect(reply.outputTokens == ProviderCount.limit)
    }

    @Test func batchRequestCountsAreClamped() {
        let counts: JSONValue = .object([
            "processing": .int(.max), "succeeded": .int(.max), "errored": .int(-1), "canceled": .int(0), "expired": .int(0),
        ])
        #expect(AnthropicBatchAPI.total(counts) == ProviderCount.limit)
    }

    @Test func metricsNeverCountANegativeReply() async {
        let registry = PrometheusCollectorRegistry()
        let metrics = WorkerMetrics.prometheus(registry)
        let model = ModelSpec(name: "m", provider: .openai, model: "m", baseURL: "http://127.0.0.1:9/v1")
        _ = await metrics.exchange(with: model) { .success(ProviderReply(samples: [], inputTokens: -5, outputTokens: 7)) }
        let page = PrometheusText(registry.emitToString())
        #expect(page.value(WorkerMetrics.Name.tokens, ["model": "m", "direction": "input"]) == 0)
        #expect(page.value(WorkerMetrics.Name.tokens, ["model": "m", "direction": "output"]) == 7)
    }
}
