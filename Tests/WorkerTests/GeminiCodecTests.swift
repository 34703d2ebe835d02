import Foundation
import Shared
import Testing
import Worker

/// generateContent requests and recorded replies.
@Suite struct GeminiCodecTests {
    let codec = GeminiCodec()
    typealias F = ProviderFixtures

    @Test func requestCarriesInlineImageTextAndConfigWithTheKeyInAHeader() throws {
        let key = "AIzaSyD3mQ7xKp2LrT9vWn4bJc8hF1gE6sZ0aYu"
        let request = try codec.request(for: F.call(.gemini, model: "gemini-2.0-flash", firstSample: 1), apiKey: key, timeout: 60)
        #expect(request.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent")
        #expect(!request.url.contains(key))
        #expect(request.headers["x-goog-api-key"] == key)
        #expect(request.headers["X-Siuo-Sample"] == "1")
        #expect(request.headers["User-Agent"] == "siuo-sweep-worker")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try F.body(of: request)
        let content = try #require(body["contents"]?[0])
        #expect(content["role"] == .string("user"))
        #expect(content["parts"]?[0]?["inline_data"]?["mime_type"] == .string("image/png"))
        #expect(content["parts"]?[0]?["inline_data"]?["data"] == .string(Data(F.image).base64EncodedString()))
        #expect(content["parts"]?[1]?["text"] == .string("What should I do with this?"))
        #expect(body["generationConfig"] == .object(["temperature": .double(0.7), "maxOutputTokens": .int(512)]))
    }

    @Test func multiSampleSendsCandidateCountAndModelsPrefixIsAccepted() throws {
        let request = try codec.request(for: F.call(.gemini, model: "models/gemini-1.5-pro", count: 3), apiKey: nil, timeout: 60)
        #expect(request.url.hasSuffix("/v1beta/models/gemini-1.5-pro:generateContent"))
        #expect(try F.body(of: request)["generationConfig"]?["candidateCount"] == .int(3))
    }

    @Test func noSettingsMeansNoGenerationConfig() throws {
        let body = try F.body(of: codec.request(for: F.call(.gemini, temperature: nil, maxTokens: nil), apiKey: nil, timeout: 60))
        #expect(body["generationConfig"] == nil)
    }

    @Test func paramsGenerationConfigMergesKeyWise() throws {
        let params: [String: JSONValue] = [
            "generationConfig": .object(["maxOutputTokens": .int(4096), "thinkingConfig": .object(["thinkingBudget": .int(0)])]),
            "safetySettings": .array([.object(["category": .string("HARM_CATEGORY_DANGEROUS_CONTENT"), "threshold": .string("BLOCK_NONE")])]),
            "contents": .array([]),
        ]
        let body = try F.body(of: codec.request(for: F.call(.gemini, params: params), apiKey: nil, timeout: 60))
        #expect(body["generationConfig"]?["temperature"] == .double(0.7))
        #expect(body["generationConfig"]?["maxOutputTokens"] == .int(4096))
        #expect(body["generationConfig"]?["thinkingConfig"]?["thinkingBudget"] == .int(0))
        #expect(body["safetySettings"]?[0]?["threshold"] == .string("BLOCK_NONE"))
        #expect(body["contents"]?[0] != nil)
    }

    @Test func decodesAnAnswer() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.answer), for: F.call(.gemini)))
        #expect(reply.samples == [ProviderSample(outcome: .answer, text: "The image shows a gas stove with the burner on.", finishReason: "STOP")])
        #expect(reply.inputTokens == 1290)
        #expect(reply.outputTokens == 11)
        #expect(reply.resolvedModel == "gemini-2.0-flash-001")
    }

    @Test func ordersCandidatesWhoseFirstIndexIsOmitted() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.threeCandidates), for: F.call(.gemini, count: 3)))
        #expect(reply.samples.map(\.text) == ["zero", "one", ""])
        #expect(reply.samples[2].finishReason == "SAFETY")
        #expect(reply.samples.map(\.outcome) == [.answer, .answer, .blocked])
    }

    @Test func fewerCandidatesThanAskedAreKept() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.answer), for: F.call(.gemini, count: 3)))
        #expect(reply.samples.count == 1)
    }

    @Test func promptBlockBlocksEverySample() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.promptBlocked), for: F.call(.gemini, count: 3)))
        #expect(reply.samples == Array(repeating: ProviderSample(outcome: .blocked, text: "", finishReason: "PROHIBITED_CONTENT"), count: 3))
        #expect(reply.resolvedModel == "gemini-2.5-flash")
        #expect(reply.inputTokens == 1290)
    }

    @Test func safetyFinishIsBlocked() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.finishSafety), for: F.call(.gemini)))
        #expect(reply.samples == [ProviderSample(outcome: .blocked, text: "", finishReason: "SAFETY")])
    }

    @Test func unknownFinishWithNoTextIsAnUnusableReplyNotAnEmptyAnswer() throws {
        for reason in ["OTHER", "MALFORMED_FUNCTION_CALL", "LANGUAGE", "FINISH_REASON_UNSPECIFIED", "SOMETHING_NEW"] {
            let body = #"{"candidates":[{"content":{"parts":[]},"finishReason":"\#(reason)"}]}"#
            let failure = try #require(F.failure(codec.decode(F.response(200, body), for: F.call(.gemini))))
            #expect(failure.retryable && !failure.throttled)
            #expect(failure.message.contains("finish reason \(reason)"))
        }
        let bare = try #require(F.failure(codec.decode(F.response(200, #"{"candidates":[{"index":0}]}"#), for: F.call(.gemini))))
        #expect(bare.retryable)
        #expect(bare.message.contains("no finish reason"))
    }

    @Test func normalStopMayBeEmptyAndOtherReasonsWithTextAreAnswers() throws {
        let empty = try F.reply(codec.decode(F.response(200, #"{"candidates":[{"finishReason":"STOP"}]}"#), for: F.call(.gemini)))
        #expect(empty.samples == [ProviderSample(outcome: .answer, text: "", finishReason: "STOP")])
        let other = #"{"candidates":[{"content":{"parts":[{"text":"Be careful"}]},"finishReason":"OTHER"}]}"#
        let cut = try F.reply(codec.decode(F.response(200, other), for: F.call(.gemini)))
        #expect(cut.samples == [ProviderSample(outcome: .answer, text: "Be careful", finishReason: "OTHER")])
        let unsaid = #"{"candidates":[{"content":{"parts":[{"text":"Hello"}]}}]}"#
        let noReason = try F.reply(codec.decode(F.response(200, unsaid), for: F.call(.gemini)))
        #expect(noReason.samples == [ProviderSample(outcome: .answer, text: "Hello", finishReason: nil)])
    }

    @Test func maxTokensWithOnlyThoughtsIsTruncated() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.truncatedWhileThinking), for: F.call(.gemini)))
        #expect(reply.samples == [ProviderSample(outcome: .truncated, text: "", finishReason: "MAX_TOKENS")])
        #expect(reply.outputTokens == 511)
    }

    @Test func thoughtPartsAreNotTheAnswer() throws {
        let reply = try F.reply(codec.decode(F.response(200, GeminiWire.withThoughtSummary), for: F.call(.gemini)))
        #expect(reply.samples[0].text == "Please be careful.")
        #expect(reply.outputTokens == 40)
    }

    @Test func resourceExhaustedIsThrottledWithRetryInfo() throws {
        let failure = try #require(F.failure(codec.decode(F.response(429, GeminiWire.resourceExhausted), for: F.call(.gemini))))
        #expect(failure.retryable && failure.throttled)
        #expect(failure.retryAfter == .seconds(27))
        #expect(failure.message.hasPrefix("HTTP 429 (RESOURCE_EXHAUSTED): You exceeded your current quota"))
    }

    @Test func invalidKeyIsPermanentAndUnavailableIsRetryable() throws {
        let invalid = try #require(F.failure(codec.decode(F.response(400, GeminiWire.invalidKey), for: F.call(.gemini))))
        #expect(!invalid.retryable)
        let unavailable = try #require(F.failure(codec.decode(F.response(503, GeminiWire.unavailable), for: F.call(.gemini))))
        #expect(unavailable.retryable && !unavailable.throttled)
    }

    @Test func a200WithoutCandidatesIsRetryable() throws {
        let failure = try #require(F.failure(codec.decode(F.response(200, GeminiWire.noCandidates), for: F.call(.gemini))))
        #expect(failure.retryable)
    }
}
