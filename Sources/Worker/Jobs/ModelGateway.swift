import Foundation
import Shared

/// Sends one model call through its provider's codec and classifies what
/// came back; transport errors become retryable or permanent failures.
public struct ModelGateway: Sendable {
    let http: CurlMultiClient
    let keys: KeyRing
    /// Where each exchange is counted.
    public let metrics: WorkerMetrics
    /// The whole exchange with a provider must finish within this.
    public let requestTimeout: TimeInterval
    /// The limits each endpoint states in its response headers.
    public let limits: LimitBook

    /// A gateway sending over `http` with keys from `keys`, counting in `metrics`.
    public init(
        http: CurlMultiClient = .shared, keys: KeyRing, requestTimeout: TimeInterval, limits: LimitBook = LimitBook(),
        metrics: WorkerMetrics = .none
    ) {
        self.http = http
        self.keys = keys
        self.requestTimeout = requestTimeout
        self.limits = limits
        self.metrics = metrics
    }

    /// The provider's answer to `call`, or why there is none.
    public func send(_ call: ModelCall) async throws -> Result<ProviderReply, ProviderFailure> {
        let codec = ProviderCodecs.codec(for: call.model.provider)
        let key = keys.key(for: call.model)
        if keys.lacksKey(for: call.model), let variable = call.model.apiKeyEnvironment {
            // Retryable: the lack is this worker's, not the job's (a judge's fallback on another provider,
            // another sweep's key variable on the same endpoint), and another worker may hold the key;
            // the attempts it costs bound a cluster where none does.
            return .failure(
                ProviderFailure(retryable: true, message: "this worker has no key in \(KeyRing.describe(variable, provider: call.model.provider))"))
        }
        let request: HTTPClientRequest
        do {
            request = try codec.request(for: call, apiKey: key, timeout: requestTimeout)
        } catch {
            return .failure(ProviderFailure(retryable: false, message: "could not encode the request: \(error)"))
        }
        let outcome = try await metrics.exchange(with: call.model) {
            do {
                let response = try await http.send(request)
                record(RateLimitHeaders.limits(response.headers), for: call.model.endpointKey)
                recordRemaining(response.headers, for: call.model.endpointKey)
                return AnswerLimit.check(Self.withoutNUL(codec.decode(response, for: call)))
            } catch let error as HTTPClientError {
                return .failure(TransportFailure.classify(error))
            }
        }
        return outcome.mapError { $0.redacting(key.map { [$0] } ?? []) }
    }

    /// Keeps the limits a response stated, for the coordinator (with the job's
    /// ending) and for this worker's `/metrics`.
    private func record(_ stated: ProviderLimits?, for endpoint: EndpointKey) {
        guard let stated else { return }
        limits.record(stated, for: endpoint)
        if let rpm = stated.requestsPerMinute { metrics.limit(endpoint: endpoint, kind: .requests, value: Double(rpm)) }
        if let tpm = stated.tokensPerMinute { metrics.limit(endpoint: endpoint, kind: .tokens, value: Double(tpm)) }
    }

    /// Shows on this worker's `/metrics` what a response said is left of each limit.
    private func recordRemaining(_ headers: [String: String], for endpoint: EndpointKey) {
        for (kind, value) in RateLimitHeaders.remaining(headers) {
            metrics.remaining(endpoint: endpoint, kind: kind, value: value)
        }
    }

    /// A provider batch's answer to `call`, decoded by the live codec exactly
    /// as the live route's answer would be (docs/architecture.md, "Batch mode").
    public func decode(_ reply: BatchReply, for call: ModelCall) -> Result<ProviderReply, ProviderFailure> {
        let codec = ProviderCodecs.codec(for: call.model.provider)
        let response = HTTPClientResponse(
            status: reply.status, headers: ["content-type": "application/json"], body: Array(reply.body.utf8))
        return AnswerLimit.check(Self.withoutNUL(codec.decode(response, for: call))).mapError {
            $0.redacting(keys.key(for: call.model).map { [$0] } ?? [])
        }
    }

    /// PostgreSQL text cannot hold NUL, and the coordinator refuses it rather
    /// than cut a text short: a model's stray NUL is dropped here, once.
    static func withoutNUL(_ outcome: Result<ProviderReply, ProviderFailure>) -> Result<ProviderReply, ProviderFailure> {
        switch outcome {
        case .success(var reply):
            for index in reply.samples.indices where reply.samples[index].text.contains("\u{0}") {
                reply.samples[index].text.removeAll { $0 == "\u{0}" }
            }
            return .success(reply)
        case .failure(var failure):
            failure.message.removeAll { $0 == "\u{0}" }
            return .failure(failure)
        }
    }
}
