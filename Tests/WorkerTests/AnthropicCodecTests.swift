import Foundation
import Shared
import Testing
import Worker

/// Messages API requests and recorded replies.
@Suite struct AnthropicCodecTests {
    /// 2025-06-01T12:00:00Z, the clock the reset headers are read against.
    static let now = Date(timeIntervalSince1970: 1_748_779_200)
    let codec = AnthropicCodec(now: { AnthropicCodecTests.now })
    typealias F = ProviderFixtures

    @Test func requestCarriesImageThenTextWithHeaders() throws {
        let call = F.call(.anthropic, model: "claude-sonnet-4-20250514", firstSample: 2)
        let request = try codec.request(for: call, apiKey: F.apiKey, timeout: 60)
        #expect(request.url == "https://api.anthropic.com/v1/messages")
        #expect(request.method == "POST")
        #expect(request.headers["x-api-key"] == F.apiKey)
        #expect(request.headers["anthropic-version"] == "2023-06-01")
        #expect(request.headers["X-Siuo-Sample"] == "2")
        #expect(request.headers["User-Agent"] == "siuo-sweep-worker")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["Authorization"] == nil)
        let body = try F.body(of: request)
        #expect(body["model"] == .string("claude-sonnet-4-20250514"))
        #expect(body["max_tokens"] == .int(512))
        #expect(body["temperature"] == .double(0.7))
        let content = try #require(body["messages"]?[0]?["content"])
        #expect(body["messages"]?[0]?["role"] == .string("user"))
        #expect(content[0]?["type"] == .string("image"))
        #expect(content[0]?["source"]?["type"] == .string("base64"))
        #expect(content[0]?["source"]?["media_type"] == .string("image/png"))
        #expect(content[0]?["source"]?["data"] == .string(Data(F.image).base64EncodedString()))
        #expect(content[1]?["type"] == .string("text"))
        #expect(content[1]?["text"] == .string("What should I do with this?"))
    }

    @Test func maxTokensDefaultsAndCountIsAlwaysOne() throws {
        let call = F.call(.anthropic, count: 3, temperature: nil, maxTokens: nil)
        let body = try F.body(of: codec.request(for: call, apiKey: nil, timeout: 60))
        #expect(body["max_tokens"] == .int(1024))
        #expect(body["temperature"] == nil)
        #expect(body["n"] == nil)
    }

    @Test func paramsMergeOverTheBody() throws {
        let params: [String: JSONValue] = [
            "top_k": .int(40), "max_tokens": .int(4000), "model": .string("x"),
            "thinking": .object(["type": .string("enabled"), "budget_tokens": .int(2000)]),
        ]
        let body = try F.body(of: codec.request(for: F.call(.anthropic, model: "claude", params: params), apiKey: nil, timeout: 60))
        #expect(body["top_k"] == .int(40))
        #expect(body["max_tokens"] == .int(4000))
        #expect(body["model"] == .string("claude"))
        #expect(body["thinking"]?["budget_tokens"] == .int(2000))
    }

    @Test func decodesAnAnswer() throws {
        let reply = try F.reply(codec.decode(F.response(200, AnthropicWire.answer), for: F.call(.anthropic)))
        #expect(reply.samples == [ProviderSample(outcome: .answer, text: "I can see a bottle of pills on a nightstand.", finishReason: "end_turn")])
        #expect(reply.inputTokens == 1585)
        #expect(reply.outputTokens == 14)
        #expect(reply.resolvedModel == "claude-sonnet-4-20250514")
    }

    @Test func joinsTextBlocksAndSkipsThinkingAndCountsCachedInput() throws {
        let reply = try F.reply(codec.decode(F.response(200, AnthropicWire.thinkingAndTwoTextBlocks), for: F.call(.anthropic)))
        #expect(reply.samples[0].text == "Part one. Part two.")
        #expect(reply.inputTokens == 1600)
    }

    @Test func refusalStopReasonIsARefusal() throws {
        let reply = try F.reply(codec.decode(F.response(200, AnthropicWire.refusal), for: F.call(.anthropic)))
        #expect(reply.samples == [ProviderSample(outcome: .refusal, text: "", finishReason: "refusal")])
    }

    @Test func maxTokensWithoutTextIsTruncatedWithTextIsAnAnswer() throws {
        let empty = try F.reply(codec.decode(F.response(200, AnthropicWire.truncatedWhileThinking), for: F.call(.anthropic)))
        #expect(empty.samples == [ProviderSample(outcome: .truncated, text: "", finishReason: "max_tokens")])
        let partial = try F.reply(codec.decode(F.response(200, AnthropicWire.cutMidAnswer), for: F.call(.anthropic)))
        #expect(partial.samples == [ProviderSample(outcome: .answer, text: "First, make sure", finishReason: "max_tokens")])
    }

    @Test func overloadedIsThrottledAndRetryable() throws {
        let failure = try #require(F.failure(codec.decode(F.response(529, AnthropicWire.overloaded), for: F.call(.anthropic))))
        #expect(failure.retryable && failure.throttled)
        #expect(failure.status == 529)
        #expect(failure.message == "HTTP 529 (overloaded_error): Overloaded")
    }

    @Test func rateLimitUsesRetryAfter() throws {
        let headers = [
            "retry-after": "13", "anthropic-ratelimit-requests-remaining": "0",
            "anthropic-ratelimit-requests-reset": "2025-06-01T12:00:20Z",
        ]
        let failure = try #require(F.failure(codec.decode(F.response(429, AnthropicWire.rateLimited, headers: headers), for: F.call(.anthropic))))
        #expect(failure.retryable && failure.throttled)
        #expect(failure.retryAfter == .seconds(13))
    }

    /// The providers fuzzer's crash: a `retry-after` with a combining mark trapped in DateFormatter.
    @Test func aNonASCIIRetryAfterIsIgnoredNotATrap() throws {
        let response = F.response(529, AnthropicWire.overloaded, headers: ["retry-after": "Wed, \u{1C30}"])
        let failure = try #require(F.failure(codec.decode(response, for: F.call(.anthropic))))
        #expect(failure.retryable && failure.throttled)
        #expect(failure.retryAfter == nil)
    }

    @Test func rateLimitWithoutRetryAfterUsesTheExhaustedReset() throws {
        let headers = [
            "anthropic-ratelimit-requests-remaining": "0",
            "anthropic-ratelimit-requests-reset": "2025-06-01T12:00:20Z",
            "anthropic-ratelimit-tokens-remaining": "80000",
            "anthropic-ratelimit-tokens-reset": "2025-06-01T12:00:01Z",
        ]
        let failure = try #require(F.failure(codec.decode(F.response(429, AnthropicWire.rateLimited, headers: headers), for: F.call(.anthropic))))
        #expect(failure.retryAfter == .seconds(20))
    }

    @Test(arguments: [
        (400, AnthropicWire.invalidRequest), (401, AnthropicWire.authentication),
        (413, AnthropicWire.requestTooLarge), (404, AnthropicWire.notFound),
    ])
    func clientErrorsArePermanent(status: Int, body: String) throws {
        let failure = try #require(F.failure(codec.decode(F.response(status, body), for: F.call(.anthropic))))
        #expect(!failure.retryable && !failure.throttled)
        #expect(failure.status == status)
    }

    @Test func apiErrorIsRetryable() throws {
        let failure = try #require(F.failure(codec.decode(F.response(500, AnthropicWire.apiError), for: F.call(.anthropic))))
        #expect(failure.retryable && !failure.throttled)
    }

    /// No text after anything but a normal stop or a limit is an unusable reply, never an empty answer scored as safe.
    @Test(arguments: [
        #""stop_reason":"tool_use","#, #""stop_reason":"pause_turn","#, #""stop_reason":"a_reason_added_later","#, #""stop_reason":null,"#, "",
    ])
    func noTextAfterAnAbnormalStopIsRetryable(stop: String) throws {
        let body = #"{"id":"msg_1","type":"message","model":"claude-x","content":[],"# + stop + #""usage":{"input_tokens":5,"output_tokens":0}}"#
        let failure = try #require(F.failure(codec.decode(F.response(200, body), for: F.call(.anthropic))))
        #expect(failure.retryable && !failure.throttled)
    }

    @Test func noTextAfterANormalStopIsAnEmptyAnswerAndAContextLimitIsTruncated() throws {
        for (stop, outcome) in [("end_turn", ResponseOutcome.answer), ("stop_sequence", .answer), ("model_context_window_exceeded", .truncated)] {
            let body =
                #"{"id":"msg_1","type":"message","model":"claude-x","content":[],"stop_reason":""# + stop
                + #"","usage":{"input_tokens":5,"output_tokens":0}}"#
            let reply = try F.reply(codec.decode(F.response(200, body), for: F.call(.anthropic)))
            #expect(reply.samples == [ProviderSample(outcome: outcome, text: "", finishReason: stop)])
        }
    }

    @Test func a200WithoutContentIsRetryable() throws {
        let failure = try #require(F.failure(codec.decode(F.response(200, #"{"id":"msg_1","type":"message"}"#), for: F.call(.anthropic))))
        #expect(failure.retryable)
    }
}
