import Foundation
import Hummingbird
import LoopbackHTTP
import Shared
import SiuoTestSupport
import Synchronization
import Testing

/// The multi-handle client against a real Hummingbird server on loopback.
@Suite struct CurlMultiClientTests {
    /// Counts requests in flight at the server and the most seen at once.
    final class Gauge: Sendable {
        private let state = Mutex((now: 0, peak: 0, peers: Set<Int>(), released: false))
        func enter(peer: Int?) {
            state.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
                if let peer { $0.peers.insert(peer) }
            }
        }
        func leave() { state.withLock { $0.now -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
        var now: Int { state.withLock { $0.now } }
        var peers: Int { state.withLock { $0.peers.count } }
        /// Hung requests end (the server is shutting down).
        func releaseHangs() { state.withLock { $0.released = true } }
        var released: Bool { state.withLock { $0.released } }
    }

    static func router(_ gauge: Gauge) -> Router<PeerRequestContext> {
        let router = Router(context: PeerRequestContext.self)
        router.post("/echo") { request, context -> Response in
            gauge.enter(peer: context.peerPort)
            defer { gauge.leave() }
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.init("x-echo")!] = request.headers[.init("x-probe")!] ?? "none"
            headers[.retryAfter] = "7"
            return Response(status: .created, headers: headers, body: .init(byteBuffer: body))
        }
        router.get("/slow") { _, context -> String in
            gauge.enter(peer: context.peerPort)
            defer { gauge.leave() }
            try await Task.sleep(for: .milliseconds(300))
            return "done"
        }
        // Answers only once `held` requests are in flight together (or after 170 s, within the
        // client's timeout): a client that cannot hold them all at once never gets there. Each
        // waiter looks every 250 ms: a thousand of them looking every 10 ms woke the server 100,000
        // times a second and starved its own accept loop on a loaded 2-core machine.
        router.get("/barrier/{held}") { _, context -> String in
            gauge.enter(peer: context.peerPort)
            defer { gauge.leave() }
            let held = Int(context.parameters.get("held") ?? "") ?? 1
            let deadline = ContinuousClock.now + .seconds(170)
            while gauge.peak < held, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(250)) }
            return "released"
        }
        // Answers only when the server shuts down (`releaseHangs`): no test can see an answer, however late it looks.
        router.get("/hang") { _, context -> String in
            gauge.enter(peer: context.peerPort)
            defer { gauge.leave() }
            let deadline = ContinuousClock.now + .seconds(3600)
            while !gauge.released, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            return "late"
        }
        router.get("/big") { _, _ in String(repeating: "x", count: 5000) }
        return router
    }

    @Test func roundTripsStatusHeadersAndBody() async throws {
        let gauge = Gauge()
        try await Loopback.serve(router: Self.router(gauge), beforeShutdown: { gauge.releaseHangs() }) { base in
            let client = CurlMultiClient()
            let response = try await client.send(
                HTTPClientRequest(
                    method: "POST", url: base + "/echo",
                    headers: ["x-probe": "hello"], body: Array("payload ü".utf8), timeout: 300))
            #expect(response.status == 201)
            #expect(response.headers["x-echo"] == "hello")
            #expect(response.headers["retry-after"] == "7")
            #expect(response.text == "payload ü")
            let empty = try await client.send(HTTPClientRequest(method: "POST", url: base + "/echo", body: [], timeout: 300))
            #expect(empty.status == 201 && empty.body.isEmpty)
        }
    }

    @Test func holdsAThousandRequestsInFlightAtOnceAndReusesConnections() async throws {
        let gauge = Gauge()
        try await Loopback.serve(router: Self.router(gauge), beforeShutdown: { gauge.releaseHangs() }) { base in
            let client = CurlMultiClient()
            try await withThrowingTaskGroup(of: Int.self) { group in
                // 180 s: on a loaded 2-core machine a connection can wait out a
                // dropped SYN and its retries (about a minute) before it is accepted.
                for _ in 0..<1000 { group.addTask { try await client.send(HTTPClientRequest(url: base + "/barrier/1000", timeout: 300)).status } }
                for try await status in group { #expect(status == 200) }
            }
            #expect(gauge.peak == 1000, "every request was in flight at once")
            let connections = gauge.peers
            for _ in 0..<5 { _ = try await client.send(HTTPClientRequest(url: base + "/slow", timeout: 300)) }
            #expect(gauge.peers == connections, "sequential requests reuse an idle connection")
            #expect(client.inFlight == 0)
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let gauge = Gauge()
        try await Loopback.serve(router: Self.router(gauge), beforeShutdown: { gauge.releaseHangs() }) { base in
            let client = CurlMultiClient()
            let call = Task { try await client.send(HTTPClientRequest(url: base + "/hang", timeout: 300)) }
            try await waitUntil("the request reaches the server", every: .milliseconds(5)) { gauge.now > 0 }
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            #expect(client.inFlight == 0)
            let alreadyCancelled = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.send(HTTPClientRequest(url: base + "/slow", timeout: 300))
            }
            await #expect(throws: CancellationError.self) { try await alreadyCancelled.value }
        }
    }

    @Test func timeoutsSizeCapsAndRefusedConnectionsAreErrors() async throws {
        let gauge = Gauge()
        try await Loopback.serve(router: Self.router(gauge), beforeShutdown: { gauge.releaseHangs() }) { base in
            let client = CurlMultiClient(maxResponseBytes: 1000)
            let timeout = await #expect(throws: HTTPClientError.self) {
                try await client.send(HTTPClientRequest(url: base + "/hang", timeout: 0.3))
            }
            #expect(timeout?.isTimeout == true)
            let big = await #expect(throws: HTTPClientError.self) { try await client.send(HTTPClientRequest(url: base + "/big", timeout: 300)) }
            #expect(big?.message.contains("larger than 1000 bytes") == true && big?.code == 63, "file size exceeded, not a write error")
        }
        let refused = await #expect(throws: HTTPClientError.self) {
            try await CurlMultiClient().send(HTTPClientRequest(url: "http://127.0.0.1:1/none", timeout: 300))
        }
        #expect(refused?.code == 7)
    }
}
