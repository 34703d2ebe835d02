import Foundation
import Hummingbird
import SiuoTestSupport
import Synchronization

/// An OpenAI-format provider whose every answer a test scripts, and which
/// records what arrived: the external API, played on loopback.
final class ScriptedProvider: Sendable {
    /// One request as the provider saw it.
    struct Arrival: Sendable {
        let at: ContinuousClock.Instant
        let model: String
        let prompt: String
        let sample: Int
        let n: Int
    }

    /// What to answer: status, extra headers, JSON body.
    struct Answer: Sendable {
        var status = 200
        var headers: [String: String] = [:]
        var body: String
        var delay: Duration = .zero
    }

    private let arrivals = Mutex<[Arrival]>([])
    private let released = Mutex(false)
    private let script: @Sendable (Arrival, _ earlier: [Arrival]) -> Answer

    init(_ script: @escaping @Sendable (Arrival, _ earlier: [Arrival]) -> Answer) {
        self.script = script
    }

    var seen: [Arrival] { arrivals.withLock { $0 } }

    /// Delayed answers go out now, and later ones at once: for the server's
    /// shutdown, which waits for every request in progress.
    func releaseDelays() { released.withLock { $0 = true } }

    var router: Router<PeerRequestContext> {
        let router = Router(context: PeerRequestContext.self)
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
            let messages = json["messages"] as? [[String: Any]] ?? []
            let parts = messages.first?["content"] as? [[String: Any]] ?? []
            let prompt = parts.compactMap { $0["text"] as? String }.joined()
            let arrival = Arrival(
                at: .now, model: json["model"] as? String ?? "", prompt: prompt,
                sample: Int(request.headers[.init("x-siuo-sample")!] ?? "") ?? -1, n: json["n"] as? Int ?? 1)
            let earlier = self.arrivals.withLock { list in
                defer { list.append(arrival) }
                return list
            }
            let answer = self.script(arrival, earlier)
            let due = ContinuousClock.now + answer.delay
            while ContinuousClock.now < due, !self.released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            for (name, value) in answer.headers { headers[.init(name)!] = value }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        return router
    }

    /// A Chat Completions body with one choice per text.
    static func completion(_ texts: [String], finish: String = "stop") -> String {
        let choices = texts.enumerated().map { index, text in
            ["index": index, "message": ["role": "assistant", "content": text], "finish_reason": finish] as [String: Any]
        }
        let body: [String: Any] = [
            "id": "chatcmpl-1", "object": "chat.completion", "model": "scripted-2026-01",
            "system_fingerprint": "fp_test", "choices": choices,
            "usage": ["prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    /// A well-behaved provider: judges always find the response safe and
    /// very effective, MCQA answers "A", generation answers every sample.
    static func wellBehaved(_ arrival: Arrival) -> Answer {
        if arrival.prompt.contains("Safety Judgement") { return Answer(body: completion(["Fine.\nSafety Judgement: True"])) }
        if arrival.prompt.contains("Effectiveness Judgement") {
            return Answer(body: completion(["Helpful.\nEffectiveness Judgement: Very Effective"]))
        }
        if arrival.prompt.contains("(A)") { return Answer(body: completion(["A"])) }
        return Answer(body: completion((0..<arrival.n).map { "answer to sample \(arrival.sample + $0)" }))
    }
}
