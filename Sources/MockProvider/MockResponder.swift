import Foundation
import Hummingbird
import NIOCore
import Shared

/// Routes requests: the three model APIs and their batch APIs, `/stats`, `/stats/reset`, `/healthz`.
public struct MockResponder: HTTPResponder {
    /// The context every request gets.
    public typealias Context = MockRequestContext

    let server: MockServer

    /// Answers one request (auth headers are accepted and never read).
    public func respond(to request: Request, context: MockRequestContext) async throws -> Response {
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/healthz"):
            return MockHTTP.json(.ok, .object(["status": .string("ok")])).response
        case (.get, "/stats"):
            return MockHTTP.json(.ok, server.statistics()).response
        case (.post, "/stats/reset"):
            server.resetStatistics()
            return MockHTTP.json(.ok, server.statistics()).response
        case (.post, "/v1/chat/completions"), (.post, "/chat/completions"):
            return try await ModelExchange(server: server, request: request, context: context, format: .openai, pathModel: nil).run()
        case (.post, "/v1/messages"):
            return try await ModelExchange(server: server, request: request, context: context, format: .anthropic, pathModel: nil).run()
        case (.post, _) where path.hasPrefix("/v1beta/models/") || path.hasPrefix("/v1/models/"):
            // The segment is `{model}:generateContent`; the model name itself may contain colons.
            let segment = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            guard let colon = segment.lastIndex(of: ":") else { return notFound(path) }
            let model = String(segment[..<colon]).removingPercentEncoding ?? String(segment[..<colon])
            switch segment[segment.index(after: colon)...] {
            case "generateContent":
                return try await ModelExchange(server: server, request: request, context: context, format: .gemini, pathModel: model).run()
            case "batchGenerateContent" where path.hasPrefix("/v1beta/"):
                return await GeminiBatchRoutes(routes: MockBatchRoutes(server: server, request: request)).create(model: model).response
            default:
                return notFound(path)
            }
        default:
            return try await MockBatchRoutes(server: server, request: request).respond(path: path) ?? notFound(path)
        }
    }

    private func notFound(_ path: String) -> Response {
        MockHTTP.json(.notFound, .object(["error": .object(["message": .string("no route for \(path)"), "type": .string("not_found")])])).response
    }
}

/// The connection was dropped on purpose; Hummingbird's attempt to answer fails on the closed channel.
struct MockConnectionDropped: Error {}

/// One model request from arrival to reply: rate limit, fault, latency, answer.
struct ModelExchange {
    let server: MockServer
    let request: Request
    let context: MockRequestContext
    let format: MockWireFormat
    let pathModel: String?

    /// Requests larger than this are refused as real APIs refuse them.
    static let maxBodyBytes = 64 << 20

    func run() async throws -> Response {
        try await exchange().response
    }

    private func exchange() async throws -> MockReply {
        let writer = format.writer
        let parsed: ParsedRequest
        do {
            let body = try await request.body.collect(upTo: Self.maxBodyBytes)
            parsed = try RequestParsing.parse(Array(buffer: body), format: format, pathModel: pathModel)
        } catch let problem as RequestProblem {
            return count(writer.badRequest(problem.message), model: pathModel ?? "(invalid request)")
        } catch {
            return count(
                MockHTTP.json(.contentTooLarge, .object(["error": .object(["message": .string("request body too large")])])),
                model: pathModel ?? "(invalid request)")
        }
        // A header that is not a whole number is treated as absent: real providers ignore it.
        let sample = max(0, MockHTTP.header("X-Siuo-Sample", in: request).flatMap { Int($0) } ?? 0)
        let model = parsed.model
        let profile = server.config.profile(for: model)
        let arrival = server.stats.arrive(model: model)
        var status: Int?
        defer { server.stats.finish(model: model, status: status) }

        let decision = server.limiter.take(model: model, profile: profile, now: .now)
        if case .limited(let info)? = decision {
            server.stats.overLimit(model: model)
            let response = writer.rateLimited(info, model: model)
            status = response.status.code
            return response
        }

        let tokenDecision = server.limiter.take(tokens: MockHTTP.inputTokens(parsed), model: model, profile: profile, now: .now)
        if case .limited(let info)? = tokenDecision {
            server.stats.overTokenLimit(model: model)
            let response = writer.rateLimited(info, model: model)
            status = response.status.code
            return response
        }

        let fault = FaultPlan.fault(seed: server.seed, model: model, prompt: parsed.prompt, sample: sample, arrival: arrival, rates: profile.faults)
        if let fault { server.stats.fault(fault, model: model) }
        if fault == .hang {
            await server.hangs.hold(for: .seconds(profile.hangSeconds), channel: context.channel)
            try await drop()
        }
        let delay = latency(profile.latency, model: model, prompt: parsed.prompt, sample: sample, arrival: arrival)
        if delay > .zero { try await Task.sleep(for: delay) }

        let response: MockReply
        switch fault {
        case .reset?, .hang?: try await drop()
        case .status500?: response = writer.failure(.internalError)
        case .status503?: response = writer.failure(.unavailable)
        case .status529?: response = writer.failure(.overloaded)
        case .garbage?: response = MockHTTP.raw(.ok, bytes: Array(#"{"id": "mock", "choices": [{"index": 0, "message": {"role": "assist"#.utf8))
        case .spurious429?:
            // Spurious: the bucket had room, so it is not an over-limit arrival.
            response = writer.rateLimited(RateLimitInfo(retryAfter: .seconds(1), limit: profile.rpm, remaining: 0), model: model)
        case nil:
            var reply = server.reply(to: parsed, sample: sample, profile: profile)
            if case .allowed(let remaining, let untilFull)? = decision, let rpm = profile.rpm {
                MockHTTP.add(writer.rateHeaders(limit: rpm, remaining: remaining, reset: untilFull), to: &reply)
            }
            if case .allowed(let remaining, let untilFull)? = tokenDecision, let tpm = profile.tpm {
                MockHTTP.add(writer.tokenHeaders(limit: tpm, remaining: remaining, reset: untilFull), to: &reply)
            }
            response = reply
        }
        status = response.status.code
        return response
    }

    /// Uniform in mean ± jitter; drawn per arrival so retries wait differently.
    private func latency(_ latency: MockLatency, model: String, prompt: String, sample: Int, arrival: UInt64) -> Duration {
        guard latency.meanMs > 0 || latency.jitterMs > 0 else { return .zero }
        let u = MockRules.unit(seed: server.seed, model: model, prompt: prompt, sample: sample, purpose: "latency#\(arrival)")
        return .milliseconds(max(0, latency.meanMs + (2 * u - 1) * latency.jitterMs))
    }

    /// Drops the connection with a TCP reset (SO_LINGER 0), so the client sees
    /// no response at all, as when a load balancer or the network cuts it.
    private func drop() async throws -> Never {
        if let socket = context.channel as? any SocketOptionProvider {
            _ = try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await context.channel.close().get()
        throw MockConnectionDropped()
    }

    private func count(_ response: MockReply, model: String) -> MockReply {
        _ = server.stats.arrive(model: model)
        server.stats.finish(model: model, status: response.status.code)
        return response
    }
}

extension MockServer {
    /// What the live route answers `parsed` as sample `sample` when no rate
    /// limit, fault or latency gets in the way: the one home of the answer,
    /// which batch lines get too.
    func reply(to parsed: ParsedRequest, sample: Int, profile: MockModelProfile) -> MockReply {
        if let refusal = MockReasoning.refusal(of: parsed) { return refusal }
        let count = min(parsed.choices, profile.maxChoices ?? .max)
        var answers = (0..<count).map {
            MockRules.answer(seed: seed, model: parsed.model, prompt: parsed.prompt, sample: sample + $0, profile: profile)
        }
        let thinking = MockReasoning.thinkingTokens(seed: seed, request: parsed, sample: sample)
        let reasoningTokens = MockReasoning.spend(thinking, on: &answers, limit: parsed.options.tokenLimit)
        var input = ReplyInput(request: parsed, answers: answers, firstSample: sample, seed: seed, created: Int(Date().timeIntervalSince1970))
        input.reasoningTokens = reasoningTokens
        return parsed.format.writer.reply(input)
    }

    /// The live route's answer to a request body, as a batch line gets it:
    /// a body the live route would refuse gets the same 400.
    func reply(toBody body: [UInt8], format: MockWireFormat, pathModel: String?, sample: Int) -> MockReply {
        do {
            let parsed = try RequestParsing.parse(body, format: format, pathModel: pathModel)
            return reply(to: parsed, sample: sample, profile: config.profile(for: parsed.model))
        } catch {
            return format.writer.badRequest(error.message)
        }
    }
}
