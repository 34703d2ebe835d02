import Foundation
import Hummingbird
import LoopbackHTTP
import Shared
import Testing

@testable import Worker

/// A batch route's failure never carries the key its request sent, even a key of no known shape that
/// pattern-based redaction cannot recognise (a local server's password), whatever the provider echoes:
/// the message goes to the worker's log and the batch's `last_error`.
@Suite struct BatchKeyRedactionTests {
    static let key = "correct-horse-battery-staple"

    @Test func aProviderEchoingTheKeyGetsItRedactedOnEveryBatchRoute() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.get("/echo/{status}") { request, context -> Response in
            let status = Int(context.parameters.get("status") ?? "") ?? 400
            let sent = ["authorization", "x-api-key", "x-goog-api-key", "api-key"].compactMap { request.headers[.init($0)!] }
            let body = #"{"error":{"message":"rejected \#(sent.joined(separator: " ")) here"}}"#
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        try await Loopback.serve(router: router) { base in
            let transport = BatchTransport(http: CurlMultiClient(), timeout: 300, now: { Date() })
            let headerSets: [[String: String]] = [
                ["Authorization": "Bearer \(Self.key)"], ["x-api-key": Self.key], ["x-goog-api-key": Self.key], ["api-key": Self.key],
            ]
            for headers in headerSets {
                for status in [400, 401, 429, 500] {
                    let failure = await #expect(throws: ProviderFailure.self) {
                        try await transport.send("GET", base + "/echo/\(status)", headers: headers)
                    }
                    #expect(failure?.message.contains("rejected") == true, "\(String(describing: failure))")
                    #expect(failure?.message.contains(Self.key) == false, "\(headers.keys) \(status): \(String(describing: failure))")
                }
            }
        }
    }

    @Test func aBatchReplyEchoingTheKeyIsRedactedWhenDecoded() throws {
        let model = ModelSpec(name: "local", provider: .openai, model: "m", baseURL: "http://127.0.0.1:1/v1", apiKeyEnvironment: "LOCAL_KEY")
        let gateway = ModelGateway(keys: KeyRing(environment: ["LOCAL_KEY": Self.key]), requestTimeout: 30)
        let call = ModelCall(
            model: model, prompt: "p", image: [], imageMediaType: "image/png", firstSample: 0, count: 1, temperature: nil, maxTokens: 5)
        let reply = BatchReply(customID: "j1-s0", status: 401, body: #"{"error":{"message":"bad key \#(Self.key)"}}"#)
        guard case .failure(let failure) = gateway.decode(reply, for: call) else {
            Issue.record("an error reply decoded as an answer")
            return
        }
        #expect(failure.message.contains("bad key") && !failure.message.contains(Self.key), "\(failure.message)")
    }
}
