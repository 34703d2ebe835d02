import Foundation
import Shared
import SiuoTestSupport

/// Unauthenticated GETs of a child process's probes and pages (`/healthz`, `/readyz`, `/metrics`).
enum Probe {
    /// GETs `url` and returns the status and the body as text; `timeout` bounds a server that hangs (not its speed: a loaded machine can take tens of seconds).
    static func get(_ url: String, timeout: TimeInterval = TestHTTP.hangLimit) async throws -> (status: Int, body: String) {
        let response = try await TestHTTP.send(url, timeout: timeout)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}
