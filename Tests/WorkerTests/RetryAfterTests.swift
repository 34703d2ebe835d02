import Foundation
import Shared
import Testing
import Worker

/// Reading the wait a provider asked for, from headers and Gemini bodies.
@Suite struct RetryAfterTests {
    /// 2015-10-21T07:28:00Z.
    let now = Date(timeIntervalSince1970: 1_445_412_480)

    func delay(_ headers: [String: String], body: String = "") -> Duration? {
        RetryAfter.delay(headers: headers, body: Array(body.utf8), now: now)
    }

    @Test func retryAfterMillisecondsWinsOverEverything() {
        #expect(delay(["retry-after-ms": "1500", "retry-after": "30", "x-ratelimit-reset-requests": "6m0s"]) == .milliseconds(1500))
    }

    @Test func retryAfterSecondsMayBeFractional() {
        #expect(delay(["retry-after": "20"]) == .seconds(20))
        #expect(delay(["retry-after": "0.5"]) == .milliseconds(500))
        #expect(delay(["Retry-After": "3"]) == .seconds(3))
    }

    @Test func retryAfterHTTPDateIsRelativeToNow() {
        #expect(delay(["retry-after": "Wed, 21 Oct 2015 07:28:45 GMT"]) == .seconds(45))
        #expect(delay(["retry-after": "Wed, 21 Oct 2015 07:27:00 GMT"]) == .zero)
    }

    /// Foundation's DateFormatter trapped when a combining mark followed where its parse stopped
    /// (the providers fuzzer's crash input is the first); an IMF-fixdate is ASCII, so none is a date.
    @Test(arguments: [
        String(decoding: [0x57, 0xE1] + Array(repeating: 0xB0, count: 10) + Array(#"ens": 2258,"#.utf8), as: UTF8.self),
        "W\u{1C30}", "Wed, \u{1C30}", "Wed, 21 Oct 2015 07:28:45 GMT\u{301}",
    ])
    func nonASCIIRetryAfterIsNoDate(value: String) {
        #expect(HTTPDate.parseIMFFixdate(value) == nil)
        #expect(delay(["retry-after": value, "x-ratelimit-reset-tokens": "2s"]) == .seconds(2))
    }

    /// Anthropic writes six fractional digits, Google up to nine, the mock three: every length is read, to the digit.
    @Test func rfc3339TimesKeepFractionsOfAnyLength() throws {
        let base = try #require(HTTPDate.parseRFC3339("2024-09-24T18:37:24Z"))
        #expect(base == Date(timeIntervalSince1970: 1_727_203_044))
        #expect(HTTPDate.parseRFC3339("2024-09-24T18:37:24.5Z") == base.addingTimeInterval(0.5))
        #expect(HTTPDate.parseRFC3339("2024-09-24T18:37:24.123Z") == base.addingTimeInterval(0.123))
        let micro = try #require(HTTPDate.parseRFC3339("2024-09-24T18:37:24.100435Z"))
        #expect(abs(micro.timeIntervalSince(base) - 0.100435) < 1e-6)
        let nano = try #require(HTTPDate.parseRFC3339("2024-09-24T20:37:24.123456789+02:00"))
        #expect(abs(nano.timeIntervalSince(base) - 0.123456789) < 1e-6)
        for bad in ["2024-09-24T18:37:24.Z", "2024-09-24T18:37:24.12x3Z", "2024-09-24", "yesterday", "2024-09-24T18:37:24\u{301}Z"] {
            #expect(HTTPDate.parseRFC3339(bad) == nil, "\(bad)")
        }
    }

    @Test func unreadableRetryAfterFallsThrough() {
        #expect(delay(["retry-after": "soon", "x-ratelimit-reset-tokens": "2s"]) == .seconds(2))
        #expect(delay(["retry-after": "-5"]) == nil)
        #expect(delay([:]) == nil)
    }

    @Test(arguments: [
        ("250ms", 0.25), ("1s", 1), ("6m0s", 360), ("1h2m3.5s", 3723.5), ("20ms", 0.02), ("0", 0),
        ("1.5s", 1.5), ("7.66s", 7.66), ("500us", 0.0005), ("2µs", 0.000002),
    ])
    func goDurations(text: String, seconds: Double) throws {
        let parsed = try #require(GoDuration.seconds(text))
        #expect(abs(parsed - seconds) < 1e-9)
    }

    @Test(arguments: ["", "s", "5", "1x", "-1s", "1.2.3s", "ms5"])
    func notGoDurations(text: String) {
        #expect(GoDuration.seconds(text) == nil)
    }

    @Test func openAIResetsPreferTheExhaustedLimit() {
        let headers = [
            "x-ratelimit-remaining-requests": "499", "x-ratelimit-reset-requests": "120ms",
            "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "6m0s",
        ]
        #expect(delay(headers) == .seconds(360))
    }

    @Test func withoutAnExhaustedLimitTheEarliestResetIsTaken() {
        #expect(delay(["x-ratelimit-reset-requests": "120ms", "x-ratelimit-reset-tokens": "6m0s"]) == .milliseconds(120))
    }

    @Test func anthropicResetsAreTimestampsRelativeToNow() {
        let headers = [
            "anthropic-ratelimit-input-tokens-remaining": "0",
            "anthropic-ratelimit-input-tokens-reset": "2015-10-21T07:28:09.5Z",
            "anthropic-ratelimit-output-tokens-remaining": "0",
            "anthropic-ratelimit-output-tokens-reset": "2015-10-21T07:28:04Z",
            "anthropic-ratelimit-requests-remaining": "49",
            "anthropic-ratelimit-requests-reset": "2015-10-21T07:28:30Z",
        ]
        #expect(delay(headers) == .milliseconds(9500))
        #expect(delay(["anthropic-ratelimit-requests-reset": "2015-10-21T09:28:05+02:00"]) == .seconds(5))
        #expect(delay(["anthropic-ratelimit-requests-reset": "2015-10-21T07:00:00Z"]) == .zero)
    }

    @Test func geminiRetryInfoInTheBody() {
        let body = """
            {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "quota",
                       "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                                   {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}]}}
            """
        #expect(delay([:], body: body) == .milliseconds(1500))
        #expect(delay(["retry-after": "4"], body: body) == .seconds(4))
        #expect(delay([:], body: #"{"error": {"details": [{"@type": "x.RetryInfo2", "retryDelay": "3s"}]}}"#) == nil)
    }

    /// Any number a provider sends is read, and `Duration` trapped on the absurd ones
    /// (found while fuzzing, fuzz/README.md); they are capped instead.
    @Test(arguments: [
        ["retry-after": "1e30"],
        ["retry-after-ms": "1e300"],
        ["retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"],
        ["x-ratelimit-reset-tokens": "99999999999999999999999h"],
        ["x-ratelimit-reset-tokens": String(repeating: "9", count: 400) + "s"],
        ["anthropic-ratelimit-requests-reset": "9999-12-31T23:59:59Z"],
    ])
    func absurdWaitsAreCapped(headers: [String: String]) {
        #expect(delay(headers) == .seconds(RetryAfter.longest))
    }

    @Test func anAbsurdGeminiRetryDelayIsCapped() {
        let body = #"{"error": {"details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "100000000000000000000000000s"}]}}"#
        #expect(delay([:], body: body) == .seconds(RetryAfter.longest))
    }
}
