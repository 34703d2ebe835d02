import Foundation
import Shared

/// Classifies a request that got no HTTP response at all (a libcurl error).
///
/// Network trouble (timeouts, refused or reset connections, empty or partial
/// replies, TLS handshakes cut short, DNS hiccups) is retryable. Errors that
/// another attempt cannot fix are permanent: a malformed or unsupported URL,
/// redirect loops, certificate verification failures (a wrong endpoint
/// or a missing CA bundle), and a response larger than the client takes. Codes not listed count as retryable, since
/// `max_attempts` bounds the cost of being wrong.
public enum TransportFailure {
    /// libcurl codes that will fail the same way every time.
    static let permanentCodes: Set<Int> = [
        1,  // unsupported protocol
        2,  // failed to initialise
        3,  // malformed URL
        43,  // bad function argument
        47,  // too many redirects
        58,  // problem with the local client certificate
        63,  // response larger than the client's cap (`ResponseSink`): the same request would be paid for again
        60,  // peer certificate cannot be verified
        77,  // problem with the CA certificate bundle
        83,  // TLS issuer check failed
        90,  // pinned public key mismatch
        91,  // invalid certificate status
    ]

    /// The failure for `error`; its message names the host but never the
    /// full URL, whose query could hold a key (`?key=` on Gemini).
    public static func classify(_ error: HTTPClientError) -> ProviderFailure {
        classify(curlCode: error.code, message: error.message, url: error.url)
    }

    /// The failure for libcurl's `curlCode` and `message` on a request to `url`.
    public static func classify(curlCode: Int, message: String, url: String) -> ProviderFailure {
        let host = URL(string: url)?.host.map { " (\($0))" } ?? ""
        let text = SecretRedaction.redact("transport error \(curlCode)\(host): \(message)")
        return ProviderFailure(retryable: !permanentCodes.contains(curlCode), message: text)
    }
}
