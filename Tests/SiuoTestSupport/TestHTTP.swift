import Foundation
import Shared

/// Requests a test sends to a server it started on loopback (a coordinator, a worker's probes, the mock).
public enum TestHTTP {
    /// How long a request may take: a bound for a server that hangs, not a speed check (a loaded
    /// machine took over 30 s, the client's default, to send a 17 MiB body and read the answer).
    public static let hangLimit: TimeInterval = 300

    /// Sends one request with `CurlMultiClient.shared`: `Content-Type: application/json` when there
    /// is a body, then `headers` over it, then `Authorization: Bearer <token>` when a token is given.
    public static func send(
        _ url: String, method: String = "GET", token: String? = nil, headers: [String: String] = [:], body: [UInt8]? = nil,
        timeout: TimeInterval = hangLimit
    ) async throws -> HTTPClientResponse {
        var fields = body == nil ? [:] : ["Content-Type": "application/json"]
        fields.merge(headers) { $1 }
        if let token { fields["Authorization"] = "Bearer \(token)" }
        return try await CurlMultiClient.shared.send(HTTPClientRequest(method: method, url: url, headers: fields, body: body, timeout: timeout))
    }

    /// ``send(_:method:token:headers:body:timeout:)`` with a text body (UTF-8), or none when `text` is nil.
    public static func send(
        _ url: String, method: String = "GET", token: String? = nil, headers: [String: String] = [:], text: String?,
        timeout: TimeInterval = hangLimit
    ) async throws -> HTTPClientResponse {
        try await send(url, method: method, token: token, headers: headers, body: text.map { Array($0.utf8) }, timeout: timeout)
    }
}
