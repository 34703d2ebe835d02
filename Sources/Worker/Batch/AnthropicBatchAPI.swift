import Foundation
import Shared

/// Anthropic's Message Batches API: `POST /v1/messages/batches` with
/// `requests: [{custom_id, params}]`, polled until `processing_status` is
/// `ended`, its results a JSONL file at `results_url` (docs/architecture.md,
/// "Batch mode"). Batches carry no metadata, so `find` matches by creation
/// time and request count.
public struct AnthropicBatchAPI: BatchAPI {
    /// Batches per page of the list route.
    static let pageSize = 100

    /// The live codec: it builds each request's `params`.
    public let codec: AnthropicCodec
    let keys: KeyRing
    let transport: BatchTransport

    /// A client that sends through `http` with `keys`; each exchange ends within `timeout`.
    public init(codec: AnthropicCodec, http: CurlMultiClient, keys: KeyRing, timeout: TimeInterval) {
        self.codec = codec
        self.keys = keys
        self.transport = BatchTransport(http: http, timeout: timeout, now: codec.now)
    }

    /// Creates the batch from the lines that fit in `maxBytes` (the request body).
    public func submit(
        _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int,
        beforeCreate: @Sendable () async throws -> Void
    ) async throws -> BatchSubmission {
        let (body, included) = try pack(lines, maxBytes: maxBytes)
        try await beforeCreate()
        let batch = try await transport.json("POST", try url("/v1/messages/batches", model), headers: headers(model), body: body)
        guard let id = batch["id"]?.stringValue else { throw BatchFailure.malformed("the created batch has no id") }
        return BatchSubmission(providerBatchID: id, included: included)
    }

    /// The lines `submit` sends for these arguments.
    public func included(_ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int) throws -> [String] {
        try pack(lines, maxBytes: maxBytes).included
    }

    /// The request body of the lines that fit in `maxBytes`, and their custom ids.
    private func pack(_ lines: [BatchLine], maxBytes: Int) throws(ProviderFailure) -> (body: [UInt8], included: [String]) {
        let encoded = lines.map { line in
            BatchPacking.Encoded(
                customID: line.customID,
                bytes: BatchPacking.json(.object(["custom_id": .string(line.customID), "params": codec.body(for: line.call)])))
        }
        return try BatchPacking.pack(
            encoded, prefix: Array(#"{"requests":["#.utf8), separator: [UInt8(ascii: ",")], suffix: Array("]}".utf8), maxBytes: maxBytes)
    }

    /// The newest batch created after `createdAfter` with `lineCount` requests that `known` does not hold.
    public func find(tag: String, lineCount: Int, createdAfter: Date, known: Set<String>, model: ModelSpec) async throws -> String? {
        var after: String?
        while true {
            var query = ["limit": String(Self.pageSize)]
            if let after { query["after_id"] = after }
            let page = try await transport.json("GET", try url("/v1/messages/batches", model, query: query), headers: headers(model))
            let batches = page["data"]?.arrayValue ?? []
            let created = try batches.map { batch in try BatchListing.created(batch["created_at"], of: batch["id"]) }
            let match = zip(batches, created).first { batch, created in
                guard let id = batch["id"]?.stringValue, !known.contains(id) else { return false }
                return created > createdAfter && Self.total(batch["request_counts"]) == lineCount
            }
            if let match { return match.0["id"]?.stringValue }
            guard page["has_more"] == .bool(true), let last = page["last_id"]?.stringValue ?? batches.last?["id"]?.stringValue,
                !BatchListing.pageIsOlder(created, than: createdAfter)
            else { return nil }
            after = last
        }
    }

    /// `GET /v1/messages/batches/{id}`: `processing_status` and `request_counts`.
    public func progress(of providerBatchID: String, model: ModelSpec) async throws -> BatchProgress {
        let batch = try await retrieve(providerBatchID, model: model)
        let state = batch["processing_status"]?.stringValue ?? ""
        let counts = batch["request_counts"]
        let total = Self.total(counts)
        let failed = ProviderCount.read(["errored", "canceled", "expired"], of: counts)
        return BatchProgress(
            ended: state == "ended", providerState: state, done: max(0, total - ProviderCount.read(counts?["processing"])), failed: failed,
            total: total)
    }

    /// `POST /v1/messages/batches/{id}/cancel`; a batch that has already ended counts as cancelled.
    public func cancel(_ providerBatchID: String, model: ModelSpec) async throws {
        try await cancelOrEnded(providerBatchID, model: model) {
            _ = try await transport.json(
                "POST", try url("/v1/messages/batches/\(BatchReading.segment(providerBatchID))/cancel", model), headers: headers(model))
        }
    }

    /// The JSONL at `results_url`. The key goes only to the API's own origin.
    public func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult] {
        let batch = try await retrieve(providerBatchID, model: model)
        guard let resultsURL = batch["results_url"]?.stringValue else {
            throw ProviderFailure(retryable: true, message: "batch \(providerBatchID) has no results_url yet")
        }
        let sameOrigin = Self.origin(resultsURL) == Self.origin(try url("/", model))
        let headers = sameOrigin ? headers(model) : CommonHeaders.plain(adding: AnthropicCodec.authHeaders(apiKey: nil))
        let response = try await transport.send("GET", resultsURL, headers: headers)
        return JSONLines.parse(response.body).compactMap(Self.lineResult)
    }

    /// One result line: `succeeded` is the live 200 and its message,
    /// `errored` the live error status and body, `canceled` and `expired`
    /// never ran.
    static func lineResult(_ line: JSONValue) -> BatchLineResult? {
        guard let customID = line["custom_id"]?.stringValue, let result = line["result"] else { return nil }
        let type = result["type"]?.stringValue ?? ""
        switch type {
        case "succeeded":
            let message = result["message"].map(BatchPacking.json) ?? []
            return BatchLineResult(customID: customID, outcome: .reply(status: 200, body: message))
        case "errored":
            // The error is the live error response: `{"type":"error","error":{"type","message"}}`.
            let error = result["error"] ?? .object([:])
            let body: JSONValue = error["error"] != nil ? error : .object(["type": .string("error"), "error": error])
            let status = AnthropicErrorStatus.status(of: body["error"]?["type"]?.stringValue)
            return BatchLineResult(customID: customID, outcome: .reply(status: status, body: BatchPacking.json(body)))
        default:
            return BatchLineResult(customID: customID, outcome: .unanswered(reason: type.isEmpty ? "no result" : type))
        }
    }

    static func total(_ counts: JSONValue?) -> Int {
        ProviderCount.read(["processing", "succeeded", "errored", "canceled", "expired"], of: counts)
    }

    /// `scheme://host:port` of a URL, lower-cased.
    static func origin(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        return "\(scheme)://\(host):\(url.port.map(String.init) ?? "")"
    }

    private func retrieve(_ id: String, model: ModelSpec) async throws -> JSONValue {
        try await transport.json("GET", try url("/v1/messages/batches/\(BatchReading.segment(id))", model), headers: headers(model))
    }

    private func url(_ path: String, _ model: ModelSpec, query: [String: String] = [:]) throws -> String {
        BatchReading.adding(query, to: try ProviderURL.appending(path, to: model.baseURL))
    }

    private func headers(_ model: ModelSpec) -> [String: String] {
        CommonHeaders.plain(adding: AnthropicCodec.authHeaders(apiKey: keys.key(for: model)))
    }
}

/// The HTTP status the Messages API answers for each error type
/// (the type names the status one to one).
enum AnthropicErrorStatus {
    static let statuses: [String: Int] = [
        "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402, "permission_error": 403,
        "not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "api_error": 500, "timeout_error": 504,
        "overloaded_error": 529,
    ]

    /// The status for `type`; an unknown type is a server error (500).
    static func status(of type: String?) -> Int {
        type.flatMap { statuses[$0] } ?? 500
    }
}
