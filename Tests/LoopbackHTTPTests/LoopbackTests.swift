import Hummingbird
import LoopbackHTTP
import Shared
import Testing

@Suite struct LoopbackTests {
    @Test func aRouterIsServedOnAFreeLoopbackPortWhileTheBodyRunsAndNotAfter() async throws {
        let router = Router()
        router.get("/hello") { _, _ in "hello from loopback" }
        let client = CurlMultiClient()
        let base = try await Loopback.serve(router: router) { base in
            #expect(base.hasPrefix("http://127.0.0.1:"))
            let response = try await client.send(HTTPClientRequest(url: base + "/hello", timeout: 300))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello from loopback")
            return base
        }
        // Stopped once the body returned: the port refuses connections at once. Only a refusal
        // (libcurl's code 7) counts; the 300 s timeout bounds a server that still accepts and hangs.
        let refused = await #expect(throws: HTTPClientError.self) {
            try await client.send(HTTPClientRequest(url: base + "/hello", timeout: 300))
        }
        #expect(refused?.code == 7, "\(String(describing: refused))")
    }

    @Test func twoServersGetTwoPorts() async throws {
        let router = Router()
        router.get("/") { _, _ in "ok" }
        let bases = try await Loopback.serve(router: router) { first in
            try await Loopback.serve(router: router) { second in [first, second] }
        }
        #expect(Set(bases).count == 2)
    }
}
