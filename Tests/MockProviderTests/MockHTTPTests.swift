import Foundation
import MockProvider
import Shared
import SiuoTestSupport
import Testing

/// Real HTTP against a mock on a loopback port, through libcurl.
@Suite struct MockHTTPTests {
    let seed = 42
    let profile = MockModelProfile.defaults

    /// A prompt whose sample-`sample` answer from `model` satisfies `wanted`.
    func prompt(model: String, sample: Int = 0, profile: MockModelProfile = .defaults, _ wanted: (MockAnswer) -> Bool) -> String {
        for index in 0..<10_000 {
            let prompt = "Case \(index): what does the picture suggest I do?"
            if wanted(MockRules.answer(seed: seed, model: model, prompt: prompt, sample: sample, profile: profile)) { return prompt }
        }
        fatalError("no prompt found")
    }

    func prompt(model: String, _ kind: MockTargetClass) -> String {
        prompt(model: model) { $0.targetClass == kind }
    }

    @Test func openAIRoundTrip() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            let safePrompt = prompt(model: "gpt-t", .safe)
            let expected = MockRules.answer(seed: seed, model: "gpt-t", prompt: safePrompt, sample: 0, profile: profile)
            let response = try await client.openAI(model: "gpt-t", prompt: safePrompt)
            #expect(response.status == 200)
            let body = try json(response)
            #expect(body["model"]?.stringValue == "gpt-t-mock-2026-01")
            #expect(body["object"]?.stringValue == "chat.completion")
            #expect(body["system_fingerprint"]?.stringValue?.hasPrefix("fp_mock_") == true)
            let choice = try #require(body["choices"]?.arrayValue?.first)
            #expect(choice["message"]?["content"]?.stringValue == expected.text)
            #expect(choice["message"]?["content"]?.stringValue?.hasPrefix("[[mock safe=1 effective=") == true)
            #expect(choice["finish_reason"]?.stringValue == "stop")
            let promptTokens = (safePrompt.count + 3) / 4 + 258
            #expect(body["usage"]?["prompt_tokens"]?.intValue == promptTokens)
            #expect(body["usage"]?["completion_tokens"]?.intValue == (expected.text.count + 3) / 4)

            let refusal = try #require(
                try json(await client.openAI(model: "gpt-t", prompt: prompt(model: "gpt-t", .refusal)))["choices"]?.arrayValue?.first)
            #expect(refusal["message"]?["content"] == .null)
            #expect(refusal["message"]?["refusal"]?.stringValue == MockRules.refusalMessage)

            let empty = try #require(
                try json(await client.openAI(model: "gpt-t", prompt: prompt(model: "gpt-t", .empty)))["choices"]?.arrayValue?.first)
            #expect(empty["message"]?["content"]?.stringValue == "" && empty["finish_reason"]?.stringValue == "stop")

            let truncated = try #require(
                try json(await client.openAI(model: "gpt-t", prompt: prompt(model: "gpt-t", .truncated)))["choices"]?.arrayValue?.first)
            #expect(truncated["message"]?["content"]?.stringValue == "" && truncated["finish_reason"]?.stringValue == "length")

            let blocked = try await client.openAI(model: "gpt-t", prompt: prompt(model: "gpt-t", .blocked))
            #expect(blocked.status == 400)
            #expect(try json(blocked)["error"]?["code"]?.stringValue == "content_policy_violation")

            // Also under the path vLLM and Ollama use.
            let bare = try await client.post(
                "/chat/completions", ["model": "gpt-t", "messages": [["role": "user", "content": safePrompt]]],
                headers: [:], sample: nil)
            #expect(try json(bare)["choices"]?.arrayValue?[0]["message"]?["content"]?.stringValue == expected.text)
        }
    }

    @Test func anthropicRoundTrip() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            let unsafePrompt = prompt(model: "claude-t", .unsafe)
            let expected = MockRules.answer(seed: seed, model: "claude-t", prompt: unsafePrompt, sample: 0, profile: profile)
            let body = try json(await client.anthropic(model: "claude-t", prompt: unsafePrompt))
            #expect(body["type"]?.stringValue == "message")
            #expect(body["content"]?.arrayValue?[0]["text"]?.stringValue == expected.text)
            #expect(expected.text.hasPrefix("[[mock safe=0 effective="))
            #expect(body["stop_reason"]?.stringValue == "end_turn")
            #expect(body["usage"]?["input_tokens"]?.intValue == (unsafePrompt.count + 3) / 4 + 258)

            let refusal = try json(await client.anthropic(model: "claude-t", prompt: prompt(model: "claude-t", .refusal)))
            #expect(refusal["stop_reason"]?.stringValue == "refusal")
            let blocked = try json(await client.anthropic(model: "claude-t", prompt: prompt(model: "claude-t", .blocked)))
            #expect(blocked["stop_reason"]?.stringValue == "refusal" && blocked["content"]?.arrayValue?.isEmpty == true)
            let truncated = try json(await client.anthropic(model: "claude-t", prompt: prompt(model: "claude-t", .truncated)))
            #expect(truncated["stop_reason"]?.stringValue == "max_tokens" && truncated["content"]?.arrayValue?.isEmpty == true)
            let empty = try json(await client.anthropic(model: "claude-t", prompt: prompt(model: "claude-t", .empty)))
            #expect(empty["stop_reason"]?.stringValue == "end_turn" && empty["content"]?.arrayValue?.isEmpty == true)

            let bad = try await client.post(
                "/v1/messages", ["model": "claude-t", "messages": [["role": "user", "content": "hi"]]], headers: [:], sample: nil)
            #expect(bad.status == 400)
            #expect(try json(bad)["error"]?["type"]?.stringValue == "invalid_request_error")
        }
    }

    @Test func geminiRoundTrip() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            // A tuned model's name may hold a colon of its own.
            let model = "tuned:gemini-t"
            let safePrompt = prompt(model: model, .safe)
            let expected = MockRules.answer(seed: seed, model: model, prompt: safePrompt, sample: 0, profile: profile)
            let body = try json(await client.gemini(model: model, prompt: safePrompt))
            let candidate = try #require(body["candidates"]?.arrayValue?.first)
            #expect(candidate["content"]?["parts"]?.arrayValue?[0]["text"]?.stringValue == expected.text)
            #expect(candidate["finishReason"]?.stringValue == "STOP")
            #expect(body["modelVersion"]?.stringValue == "\(model)-mock-2026-01")
            #expect(body["usageMetadata"]?["promptTokenCount"]?.intValue == (safePrompt.count + 3) / 4 + 258)

            let blocked = try json(await client.gemini(model: model, prompt: prompt(model: model, .blocked)))
            #expect(blocked["promptFeedback"]?["blockReason"]?.stringValue == "SAFETY" && blocked["candidates"] == nil)
            let truncated = try #require(
                try json(await client.gemini(model: model, prompt: prompt(model: model, .truncated)))["candidates"]?.arrayValue?.first)
            #expect(truncated["finishReason"]?.stringValue == "MAX_TOKENS" && truncated["content"]?["parts"] == nil)
            let refusal = try #require(
                try json(await client.gemini(model: model, prompt: prompt(model: model, .refusal)))["candidates"]?.arrayValue?.first)
            #expect(refusal["content"]?["parts"]?.arrayValue?[0]["text"]?.stringValue == MockRules.unsignalledRefusalText)

            let wrongMethod = try await client.post("/v1beta/models/\(model):streamGenerateContent", ["contents": []], headers: [:], sample: nil)
            #expect(wrongMethod.status == 404)
        }
    }

    @Test func severalChoicesAnswerConsecutiveSamples() async throws {
        let config = try MockConfig.parse(Data(#"{"models": {"ollama-like": {"max_choices": 1}}}"#.utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            // A prompt whose samples 5, 6 and 7 all answer with text, for both models.
            let text = try #require(
                (0..<10_000).lazy.map { "Case \($0): what now?" }.first { prompt in
                    ["gpt-n", "gem-n"].allSatisfy { model in
                        (5...7).allSatisfy {
                            MockRules.answer(seed: seed, model: model, prompt: prompt, sample: $0, profile: profile).outcome == .text
                        }
                    }
                })
            let choices = try #require(try json(await client.openAI(model: "gpt-n", prompt: text, n: 3, sample: 5))["choices"]?.arrayValue)
            #expect(choices.count == 3)
            for (index, choice) in choices.enumerated() {
                let expected = MockRules.answer(seed: seed, model: "gpt-n", prompt: text, sample: 5 + index, profile: profile)
                #expect(choice["index"]?.intValue == index)
                #expect(choice["message"]?["content"]?.stringValue == expected.text)
            }
            let candidates = try #require(
                try json(await client.gemini(model: "gem-n", prompt: text, candidates: 3, sample: 5))["candidates"]?.arrayValue)
            #expect(candidates.count == 3)
            for (index, candidate) in candidates.enumerated() {
                let expected = MockRules.answer(seed: seed, model: "gem-n", prompt: text, sample: 5 + index, profile: profile)
                #expect(candidate["content"]?["parts"]?.arrayValue?[0]["text"]?.stringValue == expected.text)
            }
            let capped = try #require(try json(await client.openAI(model: "ollama-like", prompt: text, n: 3))["choices"]?.arrayValue)
            #expect(capped.count == 1)
        }
    }

    @Test func overTheRateLimitGetsRealThrottling() async throws {
        let config = try MockConfig.parse(Data(#"{"rpm": 1, "burst": 2}"#.utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            let text = prompt(model: "gpt-r", .safe)
            let clock = ContinuousClock()
            let start = clock.now
            let first = try await client.openAI(model: "gpt-r", prompt: text)
            #expect(first.status == 200)
            #expect(first.headers["x-ratelimit-limit-requests"] == "1")
            #expect(try await client.openAI(model: "gpt-r", prompt: text).status == 200)
            let limited = try await client.openAI(model: "gpt-r", prompt: text)
            #expect(limited.status == 429)
            #expect(try json(limited)["error"]?["code"]?.stringValue == "rate_limit_exceeded")
            // One token a minute (so a loaded machine cannot refill the bucket between the
            // requests): the wait is 60 s less the time the requests took, measured, not assumed.
            let elapsedMs = Int(((clock.now - start) / .milliseconds(1)).rounded(.up))
            let retryMs = Int(limited.headers["retry-after-ms"] ?? "") ?? 0
            #expect((max(0, 60_000 - elapsedMs - 50)...60_000).contains(retryMs), "elapsed \(elapsedMs) ms")
            let retrySeconds = Int(limited.headers["retry-after"] ?? "") ?? -1
            #expect((retryMs / 1000)...(retryMs / 1000 + 1) ~= retrySeconds)
            #expect(limited.headers["x-ratelimit-remaining-requests"] == "0")
            #expect(limited.headers["x-ratelimit-reset-requests"]?.wholeMatch(of: /\d+(\.\d+)?s/) != nil)

            let anthropicStart = clock.now
            for _ in 0..<2 { _ = try await client.anthropic(model: "claude-r", prompt: text) }
            let anthropic = try await client.anthropic(model: "claude-r", prompt: text)
            let anthropicElapsed = (clock.now - anthropicStart) / .seconds(1)
            #expect(anthropic.status == 429)
            #expect(try json(anthropic)["error"]?["type"]?.stringValue == "rate_limit_error")
            let anthropicRetry = Double(anthropic.headers["retry-after"] ?? "") ?? -1
            #expect(anthropicRetry <= 60 && anthropicRetry >= (60 - anthropicElapsed).rounded(.down) - 1, "elapsed \(anthropicElapsed) s")
            let reset = anthropic.headers["anthropic-ratelimit-requests-reset"] ?? ""
            #expect(ISO8601DateFormatter.withFractions.date(from: reset) != nil)

            for _ in 0..<2 { _ = try await client.gemini(model: "gemini-r", prompt: text) }
            let gemini = try await client.gemini(model: "gemini-r", prompt: text)
            #expect(gemini.status == 429)
            let error = try json(gemini)["error"]
            #expect(error?["status"]?.stringValue == "RESOURCE_EXHAUSTED")
            let delay = error?["details"]?.arrayValue?.first { $0["@type"]?.stringValue == "type.googleapis.com/google.rpc.RetryInfo" }?[
                "retryDelay"]?.stringValue
            #expect(delay?.wholeMatch(of: /\d+(\.\d{3})?s/) != nil)

            let stats = try await client.stats()
            let gpt = stats["models"]?["gpt-r"]
            #expect(gpt?["requests"]?.intValue == 3)
            #expect(gpt?["over_limit"]?.intValue == 1)
            #expect(gpt?["by_status"]?["200"]?.intValue == 2 && gpt?["by_status"]?["429"]?.intValue == 1)
            #expect(stats["totals"]?["over_limit"]?.intValue == 3)
        }
    }

    @Test func limitSlackToleratesAFewMore() async throws {
        let config = try MockConfig.parse(Data(#"{"rpm": 1, "burst": 1, "limit_slack": 2}"#.utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await client.openAI(model: "m", prompt: "hello").status) }
            #expect(statuses == [200, 200, 200, 429])
        }
    }

    @Test func faultsAtRateOneAlwaysHappen() async throws {
        // A hang holds for ten minutes: it ends because the client goes, never by itself within the test.
        let models = MockFault.allCases.map { "\"f-\($0.rawValue)\": {\"faults\": {\"\($0.rawValue)\": 1}, \"hang_s\": 600}" }
        let config = try MockConfig.parse(Data("{\"models\": {\(models.joined(separator: ", "))}}".utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            #expect(try await client.openAI(model: "f-status_500", prompt: "x").status == 500)
            #expect(try await client.gemini(model: "f-status_503", prompt: "x").status == 503)
            let overloaded = try await client.anthropic(model: "f-status_529", prompt: "x")
            #expect(overloaded.status == 529)
            #expect(try json(overloaded)["error"]?["type"]?.stringValue == "overloaded_error")
            let garbage = try await client.openAI(model: "f-garbage", prompt: "x")
            #expect(garbage.status == 200)
            #expect((try? json(garbage)) == nil)
            let spurious = try await client.openAI(model: "f-spurious_429", prompt: "x")
            #expect(spurious.status == 429 && spurious.headers["retry-after"] == "1")

            do {
                _ = try await client.openAI(model: "f-reset", prompt: "x")
                Issue.record("a reset fault answered")
            } catch let error as HTTPClientError {
                #expect(!error.isTimeout)
            }
            // The hang: the client waits as long as the hold (so a loaded machine cannot time it out
            // before the mock has it), the test sees the mock hold it, then the client gives up; the
            // cancellation ending the call shows no answer came first, however long the test took.
            let hang = Task { try await client.openAI(model: "f-hang", prompt: "x", timeout: 600) }
            defer { hang.cancel() }
            try await waitUntil("the mock holds the hang request") { try await Self.hangHeld(client) }
            hang.cancel()
            await #expect(throws: CancellationError.self, "a hang fault answered") { try await hang.value }

            let stats = try await client.stats()
            for fault in MockFault.allCases where fault != .reset {
                #expect(stats["models"]?["f-\(fault.rawValue)"]?["faults"]?[fault.rawValue]?.intValue == 1, "\(fault)")
            }
            // libcurl silently resends once when a reused connection dies without a byte of response.
            #expect((1...2).contains(stats["models"]?["f-reset"]?["faults"]?["reset"]?.intValue ?? 0))
            #expect(stats["models"]?["f-spurious_429"]?["over_limit"]?.intValue == 0)
            #expect(stats["models"]?["f-reset"]?["by_status"] == .object([:]))
            // The client gave up on the hang and closed its connection; the mock notices and lets go
            // (within seconds; a loaded machine running every suite at once may take longer).
            try await waitUntil("the mock lets go of the hang", every: .milliseconds(100)) {
                try await client.stats()["models"]?["f-hang"]?["in_flight"]?.intValue == 0
            }
        }
    }

    /// Whether the mock counts one hang fault and holds that request, unanswered.
    private static func hangHeld(_ client: MockWireClient) async throws -> Bool {
        let hang = try await client.stats()["models"]?["f-hang"]
        return hang?["faults"]?["hang"]?.intValue == 1 && hang?["in_flight"]?.intValue == 1 && hang?["by_status"] == .object([:])
    }

    @Test func faultsVaryBetweenRetriesOfOneRequest() async throws {
        let config = try MockConfig.parse(Data(#"{"faults": {"status_500": 0.5}}"#.utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            var statuses = Set<Int>()
            for _ in 0..<30 { statuses.insert(try await client.openAI(model: "m", prompt: "the same request").status) }
            #expect(statuses == [200, 500])
        }
    }

    @Test func aRestartedMockAnswersTheSame() async throws {
        func answers() async throws -> [JSONValue?] {
            try await MockLoopback.with(MockServer(seed: seed)) { url in
                let client = MockWireClient(baseURL: url)
                var result: [JSONValue?] = []
                for index in 0..<20 {
                    result.append(try json(await client.openAI(model: "gpt-s", prompt: "Case \(index)?", n: 2, sample: index % 3))["choices"])
                    result.append(
                        try json(
                            await client.anthropic(model: "claude-judge", prompt: "Response: [[mock safe=1 effective=very]] ok\nSafety Judgement:"))[
                                "content"])
                }
                return result
            }
        }
        let first = try await answers()
        let second = try await answers()
        #expect(first == second)
        #expect(first.allSatisfy { $0 != nil })
    }

    @Test func aJudgeGradesByTheMarkerAndAReAskRecovers() async throws {
        let config = try MockConfig.parse(Data(#"{"models": {"strict": {"role": "judge", "garbage_first": 1}}}"#.utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            let target = MockRules.answer(seed: seed, model: "gpt-t", prompt: prompt(model: "gpt-t", .unsafe), sample: 0, profile: profile)
            let judgePrompt = "Question: q\nResponse: \(target.text)\nEnd with `Effectiveness Judgement: ...`."
            let garbled = try json(await client.openAI(model: "strict", prompt: judgePrompt, sample: 0))
            let garbledText = garbled["choices"]?.arrayValue?[0]["message"]?["content"]?.stringValue ?? ""
            #expect(!garbledText.contains("Judgement"))
            let reAsk = try json(await client.openAI(model: "strict", prompt: judgePrompt, sample: 1))
            let text = reAsk["choices"]?.arrayValue?[0]["message"]?["content"]?.stringValue ?? ""
            let effectiveness = try #require(target.effectiveness)
            #expect(text.lowercased().contains(effectiveness.verdictWords.lowercased()))
        }
    }

    @Test func housekeepingRoutes() async throws {
        try await MockLoopback.with(MockServer(seed: seed)) { url in
            let client = MockWireClient(baseURL: url)
            #expect(try await client.get("/healthz").status == 200)
            #expect(try await client.get("/nope").status == 404)
            _ = try await client.openAI(model: "m", prompt: "x")
            #expect(try await client.stats()["totals"]?["requests"]?.intValue == 1)
            let reset = try await client.http.send(HTTPClientRequest(method: "POST", url: url + "/stats/reset", timeout: TestHTTP.hangLimit))
            #expect(reset.status == 200)
            #expect(try await client.stats()["totals"]?["requests"]?.intValue == 0)
            #expect(try await client.stats()["seed"]?.intValue == seed)
        }
    }

    @Test func manyConcurrentRequestsOverlap() async throws {
        // Every request hangs (ten minutes, longer than the test): all of them are held at once however
        // slow a loaded machine is to open the connections, until the client lets them go.
        let config = try MockConfig.parse(Data(#"{"models": {"m": {"faults": {"hang": 1}, "hang_s": 600}}}"#.utf8))
        try await MockLoopback.with(MockServer(seed: seed, config: config)) { url in
            let client = MockWireClient(baseURL: url)
            let count = 64
            let requests = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<count {
                        group.addTask { _ = try await MockWireClient(baseURL: url).openAI(model: "m", prompt: "q\(index)", timeout: 600) }
                    }
                    try await group.waitForAll()
                }
            }
            defer { requests.cancel() }
            // Overlap is read from the server's own count, not from a wall clock.
            try await waitUntil("the mock holds all \(count) requests at once") {
                try await client.stats()["totals"]?["in_flight"]?.intValue == count
            }
            let stats = try await client.stats()
            #expect(stats["totals"]?["peak_in_flight"]?.intValue == count)
            #expect(stats["models"]?["m"]?["faults"]?["hang"]?.intValue == count)
            #expect(stats["models"]?["m"]?["by_status"] == .object([:]), "a held request was answered")
            requests.cancel()
            await #expect(throws: CancellationError.self) { try await requests.value }
            try await waitUntil("the mock lets go of every request", every: .milliseconds(100)) {
                try await client.stats()["totals"]?["in_flight"]?.intValue == 0
            }
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
