import Foundation
import Shared
import Testing
import Worker

/// The one classification table every codec shares, transport errors, and
/// keeping keys out of messages.
@Suite struct FailureClassifierTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func classify(_ status: Int, _ body: String = "{}", headers: [String: String] = [:]) -> ProviderFailure {
        FailureClassifier.classify(ProviderFixtures.response(status, body, headers: headers), now: now)
    }

    @Test(arguments: [408, 409, 500, 502, 503, 504, 599])
    func transientStatusesAreRetryableNotThrottled(status: Int) {
        let failure = classify(status)
        #expect(failure.retryable && !failure.throttled)
        #expect(failure.status == status)
    }

    @Test(arguments: [429, 529])
    func pushbackIsThrottled(status: Int) {
        let failure = classify(status, headers: ["retry-after": "2"])
        #expect(failure.retryable && failure.throttled)
        #expect(failure.retryAfter == .seconds(2))
    }

    @Test(arguments: [400, 401, 402, 403, 404, 405, 410, 413, 415, 422, 301, 302])
    func otherStatusesArePermanent(status: Int) {
        let failure = classify(status, headers: ["retry-after": "2"])
        #expect(!failure.retryable && !failure.throttled)
        #expect(failure.retryAfter == nil)
    }

    @Test func overloadedErrorIsThrottledWhateverTheStatus() {
        let failure = classify(500, #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#)
        #expect(failure.retryable && failure.throttled)
    }

    @Test func quotaAndTooLargeArePermanentOnAnyStatus() {
        #expect(!classify(429, #"{"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}}"#).retryable)
        #expect(!classify(503, #"{"error":{"message":"upstream: insufficient_quota"}}"#).retryable)
        #expect(!classify(429, #"{"error":{"message":"Request too large for gpt-4o"}}"#).retryable)
        #expect(!classify(500, #"{"type":"error","error":{"type":"request_too_large","message":"big"}}"#).retryable)
    }

    @Test func messagesAreShortAndSayWhatTheProviderSaid() {
        #expect(classify(502, "<html><body><h1>502 Bad Gateway</h1></body></html>").message == "HTTP 502")
        #expect(
            classify(503, "upstream connect error or disconnect/reset before headers").message
                == "HTTP 503: upstream connect error or disconnect/reset before headers")
        #expect(
            classify(500, #"{"error": "model 'llava' not found, try pulling it first"}"#).message
                == "HTTP 500: model 'llava' not found, try pulling it first")
        #expect(classify(422, #"{"detail": "Field required"}"#).message == "HTTP 422: Field required")
        let long = classify(500, #"{"error":{"message":"\#(String(repeating: "x ", count: 1000))"}}"#).message
        #expect(long.count <= FailureClassifierTestsLimits.messageLimit + 1)
    }

    @Test func malformedSuccessIsRetryable() {
        let failure = FailureClassifier.malformedSuccess(status: 200, detail: "no choices")
        #expect(failure.retryable && !failure.throttled)
        #expect(failure.message == "HTTP 200: unusable reply: no choices")
    }

    @Test func anErrorInsideASuccessIsRedactedAndBounded() throws {
        let key = ProviderFixtures.apiKey
        let said = "upstream rejected key \(key) " + String(repeating: "very long ", count: 500)
        let body = "{\"error\":{\"message\":\"\(said)\"}}"
        let call = ProviderFixtures.call(.openai)
        let failure = try #require(ProviderFixtures.failure(OpenAICodec().decode(ProviderFixtures.response(200, body), for: call)))
        #expect(failure.retryable)
        #expect(failure.message.hasPrefix("HTTP 200: unusable reply: no choices: upstream rejected key [redacted]"))
        #expect(!failure.message.contains(key))
        #expect(failure.message.count <= FailureClassifierTestsLimits.messageLimit + 1)
    }

    @Test(arguments: [
        (28, true), (7, true), (6, true), (52, true), (55, true), (56, true), (18, true), (35, true),
        (16, true), (92, true), (23, true), (1, false), (3, false), (47, false), (60, false), (77, false), (63, false),
    ])
    func transportErrors(code: Int, retryable: Bool) {
        let failure = TransportFailure.classify(
            curlCode: code, message: "curl says",
            url: "https://api.openai.com/v1/chat/completions")
        #expect(failure.retryable == retryable)
        #expect(!failure.throttled)
        #expect(failure.status == nil)
        #expect(failure.message == "transport error \(code) (api.openai.com): curl says")
    }

    @Test func keysNeverAppearInFailures() throws {
        let key = ProviderFixtures.apiKey
        let googleKey = "AIzaSyD3mQ7xKp2LrT9vWn4bJc8hF1gE6sZ0aYu"
        let azureKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
        let echoes = [
            #"{"error":{"message":"Incorrect API key provided: \#(key).","code":"invalid_api_key"}}"#,
            #"{"error":{"code":400,"message":"API key \#(googleKey) not valid","status":"INVALID_ARGUMENT"}}"#,
            #"{"error":{"code":"401","message":"Access denied due to invalid subscription key \#(azureKey)."}}"#,
            "Unauthorized: Bearer \(key)",
        ]
        var failures: [ProviderFailure] = []
        for status in [400, 401, 403, 429, 500] {
            failures += echoes.map { classify(status, $0) }
        }
        for provider in Provider.allCases {
            let codec = ProviderCodecs.codec(for: provider)
            let call = ProviderFixtures.call(provider)
            let request = try codec.request(for: call, apiKey: key, timeout: 30)
            #expect(!request.url.contains(key))
            for status in [200, 401, 429, 500] {
                let echo = "{\"error\":{\"message\":\"bad key \(key) in \(request.headers.description)\"}}"
                if let failure = ProviderFixtures.failure(codec.decode(ProviderFixtures.response(status, echo), for: call)) {
                    failures.append(failure)
                }
            }
        }
        failures.append(
            TransportFailure.classify(
                curlCode: 28, message: "Timeout", url: "https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?key=\(googleKey)"))
        #expect(failures.count > 20)
        for failure in failures {
            for secret in [key, googleKey, azureKey] {
                #expect(!failure.message.contains(secret))
                #expect(!failure.description.contains(secret))
                #expect(!String(describing: failure).contains(secret))
            }
        }
    }

    @Test func requestIdsSurviveRedaction() {
        let body = #"{"type":"error","error":{"type":"api_error","message":"Internal error (request req_011CSHoEeqs5C35K2UUqR7Fy0123456)"}}"#
        #expect(classify(500, body).message.contains("req_011CSHoEeqs5C35K2UUqR7Fy0123456"))
    }
}

/// Mirrors the classifier's bound on message length (300 characters plus an ellipsis).
enum FailureClassifierTestsLimits {
    static let messageLimit = 300
}
