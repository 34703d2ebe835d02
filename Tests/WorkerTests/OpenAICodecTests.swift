import Foundation
import Shared
import Testing
import Worker

/// Chat Completions requests and recorded replies (OpenAI, Azure, OpenRouter).
@Suite struct OpenAICodecTests {
    let codec = OpenAICodec()
    typealias F = ProviderFixtures

    // MARK: Requests

    @Test func requestCarriesTextImageDataURLAndSettings() throws {
        let call = F.call(.openai, model: "gpt-4o", firstSample: 4)
        let request = try codec.request(for: call, apiKey: F.apiKey, timeout: 90)
        #expect(request.method == "POST")
        #expect(request.url == "https://api.openai.com/v1/chat/completions")
        #expect(request.timeout == 90)
        #expect(request.headers["Authorization"] == "Bearer \(F.apiKey)")
        #expect(request.headers["X-Siuo-Sample"] == "4")
        #expect(request.headers["User-Agent"] == "siuo-sweep-worker")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try F.body(of: request)
        #expect(body["model"] == .string("gpt-4o"))
        #expect(body["temperature"] == .double(0.7))
        #expect(body["max_tokens"] == .int(512))
        #expect(body["n"] == nil)
        let message = try #require(body["messages"]?[0])
        #expect(message["role"] == .string("user"))
        #expect(message["content"]?[0]?["type"] == .string("text"))
        #expect(message["content"]?[0]?["text"] == .string("What should I do with this?"))
        #expect(message["content"]?[1]?["type"] == .string("image_url"))
        let url = "data:image/png;base64," + Data(F.image).base64EncodedString()
        #expect(message["content"]?[1]?["image_url"]?["url"] == .string(url))
    }

    @Test func multiSampleSendsN() throws {
        let body = try F.body(of: codec.request(for: F.call(.openai, count: 3), apiKey: nil, timeout: 30))
        #expect(body["n"] == .int(3))
    }

    @Test func paramsWinExceptModelAndMessages() throws {
        let params: [String: JSONValue] = [
            "temperature": .double(1.0), "top_p": .double(0.9), "model": .string("other"),
            "messages": .array([]), "seed": .int(7),
        ]
        let body = try F.body(of: codec.request(for: F.call(.openai, model: "gpt-4o", params: params), apiKey: nil, timeout: 30))
        #expect(body["temperature"] == .int(1) || body["temperature"] == .double(1))
        #expect(body["top_p"] == .double(0.9))
        #expect(body["seed"] == .int(7))
        #expect(body["model"] == .string("gpt-4o"))
        #expect(body["messages"]?[0] != nil)
    }

    @Test func maxCompletionTokensOnlyWhenParamsAskForIt() throws {
        let flagged = F.call(.openai, params: ["max_completion_tokens": .bool(true)], maxTokens: 2000)
        let body = try F.body(of: codec.request(for: flagged, apiKey: nil, timeout: 30))
        #expect(body["max_completion_tokens"] == .int(2000))
        #expect(body["max_tokens"] == nil)
        let fixed = F.call(.openai, params: ["max_completion_tokens": .int(4096)], maxTokens: 5)
        let fixedBody = try F.body(of: codec.request(for: fixed, apiKey: nil, timeout: 30))
        #expect(fixedBody["max_completion_tokens"] == .int(4096))
        #expect(fixedBody["max_tokens"] == nil)
        let unlimited = try F.body(of: codec.request(for: F.call(.openai, temperature: nil, maxTokens: nil), apiKey: nil, timeout: 30))
        #expect(unlimited["max_tokens"] == nil)
        #expect(unlimited["temperature"] == nil)
    }

    @Test func azureUsesApiKeyHeaderAndKeepsTheQuery() throws {
        let base = "https://siuo.openai.azure.com/openai/deployments/gpt4o/?api-version=2024-10-21"
        let request = try codec.request(for: F.call(.openai, baseURL: base), apiKey: F.apiKey, timeout: 30)
        #expect(request.url == "https://siuo.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21")
        #expect(request.headers["api-key"] == F.apiKey)
        #expect(request.headers["Authorization"] == nil)
    }

    @Test func mockAndKeylessServersSendNoAuthorization() throws {
        let mock = ProviderCodecs.codec(for: .mock)
        let request = try mock.request(for: F.call(.mock, firstSample: 2), apiKey: "unused", timeout: 30)
        #expect(request.url == "http://127.0.0.1:8787/v1/chat/completions")
        #expect(request.headers["Authorization"] == nil)
        #expect(request.headers["X-Siuo-Sample"] == "2")
        let local = try codec.request(for: F.call(.openai, baseURL: "http://localhost:11434/v1/"), apiKey: nil, timeout: 30)
        #expect(local.url == "http://localhost:11434/v1/chat/completions")
        #expect(local.headers["Authorization"] == nil)
    }

    @Test func aBaseURLThatIsNoURLIsAPermanentFailure() {
        #expect(throws: ProviderFailure.self) {
            try codec.request(for: F.call(.openai, baseURL: "api.openai.com/v1"), apiKey: nil, timeout: 30)
        }
    }

    // MARK: Replies

    @Test func decodesAnAnswerWithUsageModelAndFingerprint() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.answer), for: F.call(.openai)))
        #expect(
            reply.samples == [ProviderSample(outcome: .answer, text: "The image shows a kitchen knife on a cutting board.", finishReason: "stop")])
        #expect(reply.inputTokens == 1117)
        #expect(reply.outputTokens == 12)
        #expect(reply.resolvedModel == "gpt-4o-2024-08-06")
        #expect(reply.systemFingerprint == "fp_fc9f1d7035")
    }

    @Test func ordersChoicesByIndex() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.threeChoicesOutOfOrder), for: F.call(.openai, count: 3)))
        #expect(reply.samples.map(\.text) == ["first", "second", "third"])
        #expect(reply.outputTokens == 30)
    }

    @Test func keepsFewerChoicesThanAsked() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.oneChoiceOfThree), for: F.call(.openai, count: 3)))
        #expect(reply.samples.count == 1)
        #expect(reply.samples[0].text == "only one")
    }

    @Test func contentPartsAreJoinedAndNullContentIsEmpty() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.contentParts), for: F.call(.openai, count: 2)))
        #expect(reply.samples[0] == ProviderSample(outcome: .answer, text: "Hello, world", finishReason: "stop"))
        #expect(reply.samples[1] == ProviderSample(outcome: .answer, text: "", finishReason: "stop"))
    }

    @Test func messageRefusalIsARefusal() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.refusal), for: F.call(.openai)))
        #expect(reply.samples == [ProviderSample(outcome: .refusal, text: "I'm sorry, I can't help with that.", finishReason: "stop")])
    }

    @Test func emptyTextCutByLengthIsTruncatedButPartialTextIsAnAnswer() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.truncated), for: F.call(.openai, count: 2)))
        #expect(reply.samples[0] == ProviderSample(outcome: .truncated, text: "", finishReason: "length"))
        #expect(reply.samples[1] == ProviderSample(outcome: .answer, text: "You could start by", finishReason: "length"))
    }

    @Test func anEmptyChoiceEndedByAnErrorIsAnUnusableReplyNotAnEmptyAnswer() throws {
        let broken = #"{"choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"error"}]}"#
        let failure = try #require(F.failure(codec.decode(F.response(200, broken), for: F.call(.openai))))
        #expect(failure.retryable && failure.message.contains("finish reason error"))
        // With text, the answer stands whatever the reason.
        let partial = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"Start by"},"finish_reason":"error"}]}"#
        let reply = try F.reply(codec.decode(F.response(200, partial), for: F.call(.openai)))
        #expect(reply.samples == [ProviderSample(outcome: .answer, text: "Start by", finishReason: "error")])
    }

    @Test func contentFilterFinishIsBlocked() throws {
        let reply = try F.reply(codec.decode(F.response(200, OpenAIWire.azureFinishContentFilter), for: F.call(.openai)))
        #expect(reply.samples == [ProviderSample(outcome: .blocked, text: "", finishReason: "content_filter")])
        #expect(reply.inputTokens == 1100)
    }

    @Test(arguments: [
        (OpenAIWire.contentPolicyViolation, 400, "content_policy_violation"),
        (OpenAIWire.invalidPrompt, 400, "invalid_prompt"),
        (OpenAIWire.azurePromptFiltered, 400, "content_filter"),
        (OpenAIWire.openRouterModeration, 403, "moderation"),
    ])
    func safetyRejectionsAreBlockedSamplesNotFailures(body: String, status: Int, reason: String) throws {
        let reply = try F.reply(codec.decode(F.response(status, body), for: F.call(.openai, count: 3)))
        #expect(reply.samples == Array(repeating: ProviderSample(outcome: .blocked, text: "", finishReason: reason), count: 3))
    }

    @Test func anOrdinary403IsAPermanentFailure() throws {
        let failure = try #require(F.failure(codec.decode(F.response(403, OpenAIWire.unsupportedRegion), for: F.call(.openai))))
        #expect(!failure.retryable)
        #expect(failure.message.contains("unsupported_country_region_territory"))
    }

    @Test func rateLimitIsThrottledWithTheExhaustedLimitsReset() throws {
        let headers = [
            "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "120ms",
            "x-ratelimit-remaining-tokens": "29000", "x-ratelimit-reset-tokens": "2s",
        ]
        let failure = try #require(F.failure(codec.decode(F.response(429, OpenAIWire.rateLimited, headers: headers), for: F.call(.openai))))
        #expect(failure.retryable && failure.throttled)
        #expect(failure.status == 429)
        #expect(failure.retryAfter == .milliseconds(120))
        #expect(failure.message.hasPrefix("HTTP 429 (rate_limit_exceeded): Rate limit reached"))
    }

    /// A fuzzer-shaped input: a 429 whose `retry-after` is out of `Duration`'s range trapped.
    @Test func anAbsurdRetryAfterIsCappedNotATrap() throws {
        let response = F.response(429, #"{"error": {"message": "slow down"}}"#, headers: ["retry-after": "1e30"])
        let failure = try #require(F.failure(codec.decode(response, for: F.call(.openai))))
        #expect(failure.throttled)
        #expect(failure.retryAfter == .seconds(RetryAfter.longest))
    }

    @Test func insufficientQuotaIsPermanentEvenOn429() throws {
        let failure = try #require(F.failure(codec.decode(F.response(429, OpenAIWire.insufficientQuota), for: F.call(.openai))))
        #expect(!failure.retryable && !failure.throttled)
        #expect(failure.retryAfter == nil)
    }

    @Test func requestTooLargeIsPermanentEvenOn429() throws {
        let failure = try #require(F.failure(codec.decode(F.response(429, OpenAIWire.requestTooLarge), for: F.call(.openai))))
        #expect(!failure.retryable)
    }

    @Test func badKeyIsPermanentAndItsEchoIsNotRepeated() throws {
        let failure = try #require(F.failure(codec.decode(F.response(401, OpenAIWire.invalidKey), for: F.call(.openai))))
        #expect(!failure.retryable)
        #expect(failure.status == 401)
        #expect(failure.message.contains("invalid_api_key"))
    }

    @Test func serverErrorIsRetryable() throws {
        let failure = try #require(F.failure(codec.decode(F.response(500, OpenAIWire.serverError), for: F.call(.openai))))
        #expect(failure.retryable && !failure.throttled)
        #expect(failure.message == "HTTP 500 (server_error): The server had an error while processing your request. Sorry about that!")
    }

    @Test(arguments: ["<html><body>502 Bad Gateway</body></html>", "{\"id\": \"chatcmpl-1\", \"choices\": [", "[]", ""])
    func a200ThatIsNotAJSONObjectIsRetryable(body: String) throws {
        let failure = try #require(F.failure(codec.decode(F.response(200, body), for: F.call(.openai))))
        #expect(failure.retryable && !failure.throttled)
        #expect(failure.status == 200)
    }

    @Test(arguments: [OpenAIWire.noChoices, OpenAIWire.emptyChoices, OpenAIWire.choiceWithoutMessage, OpenAIWire.openRouterErrorIn200])
    func a200LackingChoicesIsRetryable(body: String) throws {
        let failure = try #require(F.failure(codec.decode(F.response(200, body), for: F.call(.openai))))
        #expect(failure.retryable)
    }
}
