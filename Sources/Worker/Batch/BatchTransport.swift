import Foundation
import Shared

/// Sends one request of a batch route and turns every way it can fail into a
/// `ProviderFailure`: libcurl errors through `TransportFailure`, error
/// statuses through `BatchFailure`, unusable 2xx bodies as retryable.
struct BatchTransport: Sendable {
    /// The process's HTTP client.
    let http: CurlMultiClient
    /// Each exchange must finish within this.
    let timeout: TimeInterval
    /// The clock that anchors the waits a provider asks for.
    let now: @Sendable () -> Date

    /// The 2xx response to `method url`, or the failure, whose message never holds the key the
    /// request carried (`KeyHeaders`), whatever the provider echoed.
    func send(_ method: String, _ url: String, headers: [String: String], body: [UInt8]? = nil) async throws -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await http.send(HTTPClientRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
        } catch let error as HTTPClientError {
            throw TransportFailure.classify(error).redacting(KeyHeaders.secrets(in: headers))
        }
        guard (200...299).contains(response.status) else {
            throw BatchFailure.classify(response, now: now()).redacting(KeyHeaders.secrets(in: headers))
        }
        return response
    }

    /// The 2xx response's JSON object, or the failure.
    func json(_ method: String, _ url: String, headers: [String: String], body: [UInt8]? = nil) async throws -> JSONValue {
        let response = try await send(method, url, headers: headers, body: body)
        guard let document = JSONValue.parse(response.body), document.objectValue != nil else {
            throw FailureClassifier.malformedSuccess(status: response.status, detail: "body is not a JSON object")
        }
        return document
    }
}

/// The failures of the batch routes beyond the live path's rules.
enum BatchFailure {
    /// The live classification (`FailureClassifier`), except that OpenAI's
    /// enqueued-token limit (`token_limit_exceeded`, "Enqueued token limit
    /// reached") is the provider's queue pushing back: retryable and throttled.
    static func classify(_ response: HTTPClientResponse, now: Date) -> ProviderFailure {
        var failure = FailureClassifier.classify(response, now: now)
        if isEnqueuedTokenLimit(response.text) {
            failure.retryable = true
            failure.throttled = true
            failure.retryAfter = RetryAfter.delay(headers: response.headers, body: response.body, now: now)
        }
        return failure
    }

    /// Whether a provider's text names OpenAI's limit on tokens waiting in batches.
    static func isEnqueuedTokenLimit(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.contains("token_limit_exceeded") || lowered.contains("enqueued token limit")
    }

    /// A reply that lacks what a batch route always returns (`id`, `name`, …).
    static func malformed(_ detail: String) -> ProviderFailure {
        FailureClassifier.malformedSuccess(status: 200, detail: detail)
    }
}
