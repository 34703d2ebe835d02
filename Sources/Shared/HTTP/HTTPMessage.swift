import Foundation

/// An HTTP request as the client sends it.
public struct HTTPClientRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Header fields.
    public var headers: [String: String]
    /// The body, if any.
    public var body: [UInt8]?
    /// The whole exchange must finish within this.
    public var timeout: TimeInterval

    /// Creates a request.
    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: [UInt8]? = nil, timeout: TimeInterval = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP response as received.
public struct HTTPClientResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, names in lower case (the last value wins on repeats).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why no response was received.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// libcurl's code (e.g. 7 for "could not connect", 28 for a timeout).
    public var code: Int
    /// libcurl's message.
    public var message: String
    /// The URL that failed.
    public var url: String

    /// "url: message".
    public var description: String { "\(url): \(message)" }

    /// Whether the request timed out.
    public var isTimeout: Bool { code == 28 }
}
