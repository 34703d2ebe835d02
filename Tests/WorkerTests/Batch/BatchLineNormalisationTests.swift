import Foundation
import Shared
import Testing

@testable import Worker

/// Provider result lines the mock does not produce, normalised to what the
/// live route would have answered, and decoded by the live codecs.
@Suite struct BatchLineNormalisationTests {
    func line(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    func decode(_ result: BatchLineResult?, _ codec: any ProviderCodec, count: Int = 1) -> Result<ProviderReply, ProviderFailure>? {
        guard case .reply(let status, let body)? = result?.outcome else { return nil }
        return codec.decode(HTTPClientResponse(status: status, headers: [:], body: body), for: ProviderFixtures.call(.openai, count: count))
    }

    func reply(_ result: BatchLineResult?) -> (Int, [UInt8])? {
        guard case .reply(let status, let body)? = result?.outcome else { return nil }
        return (status, body)
    }

    @Test func anthropicErrorTypesBecomeTheirLiveStatuses() throws {
        let expected = [
            "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402, "permission_error": 403,
            "not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "api_error": 500, "timeout_error": 504,
            "overloaded_error": 529, "some_new_error": 500,
        ]
        for (type, status) in expected {
            let result = AnthropicBatchAPI.lineResult(
                try line(#"{"custom_id":"j1-s0","result":{"type":"errored","error":{"type":"error","error":{"type":"\#(type)","message":"m"}}}}"#))
            guard case .reply(let got, let body)? = result?.outcome else {
                Issue.record("\(type): no reply")
                continue
            }
            #expect(got == status, "\(type)")
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(body))["error"]?["type"] == .string(type))
        }
        let overloaded = decode(
            AnthropicBatchAPI.lineResult(
                try line(
                    #"{"custom_id":"j1-s0","result":{"type":"errored","error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}}"#
                )),
            AnthropicCodec())
        #expect(overloaded?.failure?.throttled == true)
        let invalid = decode(
            AnthropicBatchAPI.lineResult(
                try line(
                    #"{"custom_id":"j1-s0","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}}}"#
                )),
            AnthropicCodec())
        #expect(invalid?.failure?.retryable == false)
        for type in ["canceled", "expired"] {
            let result = AnthropicBatchAPI.lineResult(try line(#"{"custom_id":"j2-s1","result":{"type":"\#(type)"}}"#))
            #expect(result == BatchLineResult(customID: "j2-s1", outcome: .unanswered(reason: type)))
        }
    }

    @Test func geminiStatusCodesBecomeTheirLiveStatuses() throws {
        let exhausted = GeminiBatchAPI.lineResult(
            try line(#"{"metadata":{"key":"j3-s0"},"error":{"code":8,"message":"Resource has been exhausted"}}"#))
        let (status, body) = try #require(reply(exhausted))
        #expect(status == 429)
        let error = try JSONDecoder().decode(JSONValue.self, from: Data(body))["error"]
        #expect(error?["status"] == .string("RESOURCE_EXHAUSTED"))
        #expect(error?["code"] == .int(429))
        #expect(decode(exhausted, GeminiCodec())?.failure?.throttled == true)

        let internalError = GeminiBatchAPI.lineResult(try line(#"{"metadata":{"key":"j3-s0"},"error":{"code":13,"message":"boom"}}"#))
        #expect(decode(internalError, GeminiCodec())?.failure?.retryable == true)
        let invalid = GeminiBatchAPI.lineResult(try line(#"{"metadata":{"key":"j3-s0"},"error":{"code":3,"message":"bad"}}"#))
        #expect(decode(invalid, GeminiCodec())?.failure?.retryable == false)
        let cancelled = GeminiBatchAPI.lineResult(try line(#"{"metadata":{"key":"j3-s0"},"error":{"code":1,"message":"cancelled"}}"#))
        #expect(cancelled?.outcome == .unanswered(reason: "CANCELLED"))
        // No key: the line cannot be matched, so it is left out.
        #expect(GeminiBatchAPI.lineResult(try line(#"{"response":{"candidates":[]}}"#)) == nil)
    }

    @Test func openAILinesWithoutResponseNeverRan() throws {
        for code in ["batch_expired", "batch_cancelled"] {
            let result = OpenAIBatchAPI.lineResult(
                try line(#"{"id":"batch_req_1","custom_id":"j4-s0","response":null,"error":{"code":"\#(code)","message":"m"}}"#))
            #expect(result == BatchLineResult(customID: "j4-s0", outcome: .unanswered(reason: "\(code): m")))
        }
        let blocked = OpenAIBatchAPI.lineResult(
            try line(
                #"{"id":"batch_req_1","custom_id":"j4-s0","response":{"status_code":400,"request_id":"r","body":{"error":{"code":"content_policy_violation","message":"no","type":"invalid_request_error"}}},"error":null}"#
            ))
        let reply = try #require(decode(blocked, OpenAICodec()))
        #expect((try? reply.get())?.samples.first?.outcome == .blocked)
    }

    @Test func enqueuedTokenLimitIsThrottled() {
        let body =
            #"{"error":{"message":"Enqueued token limit reached for gpt-4o in organization org-x. Limit: 90,000 enqueued tokens.","type":"invalid_request_error","code":"token_limit_exceeded"}}"#
        let failure = BatchFailure.classify(HTTPClientResponse(status: 400, headers: [:], body: Array(body.utf8)), now: Date())
        #expect(failure.retryable && failure.throttled)
        let plain = BatchFailure.classify(
            HTTPClientResponse(status: 400, headers: [:], body: Array(#"{"error":{"message":"bad"}}"#.utf8)), now: Date())
        #expect(!plain.retryable && !plain.throttled)
        let limited = BatchFailure.classify(HTTPClientResponse(status: 429, headers: ["retry-after": "7"], body: []), now: Date())
        #expect(limited.throttled && limited.retryAfter == .seconds(7))
    }

    @Test func packingKeepsOrderAndStopsBeforeTheCap() throws {
        let lines = (0..<4).map { BatchPacking.Encoded(customID: "j\($0)-s0", bytes: Array(repeating: UInt8(ascii: "x"), count: 10)) }
        let (body, included) = try BatchPacking.pack(lines, prefix: [1, 2], separator: [3], suffix: [4], maxBytes: 2 + 10 + 1 + 10 + 1)
        #expect(included == ["j0-s0", "j1-s0"])
        #expect(body.count == 24)
        #expect(body.first == 1 && body.last == 4)
        #expect(throws: ProviderFailure.self) { try BatchPacking.pack(lines, maxBytes: 9) }
    }
}
