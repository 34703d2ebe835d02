import Foundation
import Shared

/// Gemini's Batch API: `POST /v1beta/models/{model}:batchGenerateContent`
/// with inline requests, each keyed by `metadata.key`; the batch is a
/// long-running operation named `batches/{id}` whose `metadata` holds the
/// state (`BATCH_STATE_*`), the counts and, once done, the inlined responses
/// (docs/architecture.md, "Batch mode").
public struct GeminiBatchAPI: BatchAPI {
    /// Batches per page of the list route.
    static let pageSize = 100
    /// States after which the batch changes no more.
    static let endedStates: Set<String> = [
        "BATCH_STATE_SUCCEEDED", "BATCH_STATE_FAILED", "BATCH_STATE_CANCELLED", "BATCH_STATE_EXPIRED",
    ]

    /// The live codec: it builds each request's body.
    public let codec: GeminiCodec
    let keys: KeyRing
    let transport: BatchTransport

    /// A client that sends through `http` with `keys`; each exchange ends within `timeout`.
    public init(codec: GeminiCodec, http: CurlMultiClient, keys: KeyRing, timeout: TimeInterval) {
        self.codec = codec
        self.keys = keys
        self.transport = BatchTransport(http: http, timeout: timeout, now: codec.now)
    }

    /// Creates the batch from the lines that fit in `maxBytes` (the request
    /// body), named `tag` (`displayName`); the id is the operation's name, `batches/…`.
    public func submit(
        _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int,
        beforeCreate: @Sendable () async throws -> Void
    ) async throws -> BatchSubmission {
        let (body, included) = try pack(lines, tag: tag, maxBytes: maxBytes)
        try await beforeCreate()
        // The model goes into the path as the live route puts it.
        let path = "/v1beta/models/\(GeminiCodec.modelID(model.model)):batchGenerateContent"
        let operation = try await transport.json("POST", try url(path, model), headers: headers(model), body: body)
        guard let name = operation["name"]?.stringValue ?? operation["metadata"]?["name"]?.stringValue else {
            throw BatchFailure.malformed("the created batch has no name")
        }
        return BatchSubmission(providerBatchID: name, included: included)
    }

    /// The lines `submit` sends for these arguments.
    public func included(_ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int) throws -> [String] {
        try pack(lines, tag: tag, maxBytes: maxBytes).included
    }

    /// The request body of the lines that fit in `maxBytes`, named `tag`, and their custom ids.
    private func pack(_ lines: [BatchLine], tag: String, maxBytes: Int) throws(ProviderFailure) -> (body: [UInt8], included: [String]) {
        let encoded = lines.map { line in
            BatchPacking.Encoded(
                customID: line.customID,
                bytes: BatchPacking.json(
                    .object(["request": codec.body(for: line.call), "metadata": .object(["key": .string(line.customID)])])))
        }
        let prefix =
            Array(#"{"batch":{"displayName":"#.utf8) + BatchPacking.json(.string(tag)) + Array(#","inputConfig":{"requests":{"requests":["#.utf8)
        return try BatchPacking.pack(
            encoded, prefix: prefix, separator: [UInt8(ascii: ",")], suffix: Array("]}}}}".utf8), maxBytes: maxBytes)
    }

    /// Pages through `GET /v1beta/batches` for the batch whose `displayName` is `tag`.
    public func find(tag: String, lineCount: Int, createdAfter: Date, known: Set<String>, model: ModelSpec) async throws -> String? {
        var token: String?
        while true {
            var query = ["pageSize": String(Self.pageSize)]
            if let token { query["pageToken"] = token }
            let page = try await transport.json("GET", try url("/v1beta/batches", model, query: query), headers: headers(model))
            let batches = (page["operations"] ?? page["batches"])?.arrayValue ?? []
            if let match = batches.first(where: { Self.batch(of: $0)["displayName"]?.stringValue == tag }) {
                return match["name"]?.stringValue ?? Self.batch(of: match)["name"]?.stringValue
            }
            // Batches are matched by tag above; the times only tell when to stop, and one without a readable time never ends the search.
            let created = batches.compactMap { Self.batch(of: $0)["createTime"]?.stringValue.flatMap(HTTPDate.parseRFC3339) }
            guard let next = page["nextPageToken"]?.stringValue, !next.isEmpty, !BatchListing.pageIsOlder(created, than: createdAfter)
            else { return nil }
            token = next
        }
    }

    /// `GET /v1beta/batches/{id}`: `state` and `batchStats`.
    public func progress(of providerBatchID: String, model: ModelSpec) async throws -> BatchProgress {
        let batch = Self.batch(of: try await retrieve(providerBatchID, model: model))
        let state = batch["state"]?.stringValue ?? ""
        let stats = batch["batchStats"]
        let succeeded = ProviderCount.read(stats?["successfulRequestCount"])
        let failed = ProviderCount.read(stats?["failedRequestCount"])
        return BatchProgress(
            ended: Self.endedStates.contains(state), providerState: state, done: succeeded + failed, failed: failed,
            total: ProviderCount.read(stats?["requestCount"]))
    }

    /// `POST /v1beta/batches/{id}:cancel`; a batch that has already ended counts as cancelled.
    public func cancel(_ providerBatchID: String, model: ModelSpec) async throws {
        try await cancelOrEnded(providerBatchID, model: model) {
            _ = try await transport.send("POST", try url("/v1beta/\(Self.resource(providerBatchID)):cancel", model), headers: headers(model))
        }
    }

    /// The inlined responses, matched by `metadata.key`.
    public func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult] {
        try Self.results(in: try await retrieve(providerBatchID, model: model))
    }

    /// The inlined responses of a finished batch's operation. A batch that
    /// says lines succeeded but holds no response (a responses file, or a shape
    /// this client does not know) is an unusable reply, not "no answers":
    /// those lines were paid for, and running them live would pay again.
    static func results(in operation: JSONValue) throws -> [BatchLineResult] {
        let batch = batch(of: operation)
        let output = batch["output"] ?? operation["response"]?["output"] ?? operation["response"]
        let responses = output?["inlinedResponses"]?["inlinedResponses"]?.arrayValue ?? []
        let succeeded = ProviderCount.read(batch["batchStats"]?["successfulRequestCount"])
        if responses.isEmpty, succeeded > 0 {
            let file = output?["responsesFile"]?.stringValue.map { " (a responses file \($0))" } ?? ""
            throw BatchFailure.malformed("the batch answered \(succeeded) lines but holds no inlined responses\(file)")
        }
        return responses.compactMap(lineResult)
    }

    /// One inlined response: `response` is the live 200's body; `error`
    /// (a `google.rpc.Status`) becomes the live error status and body; a
    /// `CANCELLED` line never ran.
    static func lineResult(_ item: JSONValue) -> BatchLineResult? {
        guard let key = item["metadata"]?["key"]?.stringValue else { return nil }
        if let response = item["response"], !response.isNull {
            return BatchLineResult(customID: key, outcome: .reply(status: 200, body: BatchPacking.json(response)))
        }
        let error = item["error"] ?? .object([:])
        let code = error["code"]?.intValue ?? GRPCStatus.unknown
        if code == GRPCStatus.cancelled {
            return BatchLineResult(customID: key, outcome: .unanswered(reason: "CANCELLED"))
        }
        let (status, name) = GRPCStatus.http(code)
        var body: [String: JSONValue] = [
            "code": .int(Int64(status)), "message": error["message"] ?? .string(""), "status": .string(name),
        ]
        if let details = error["details"] { body["details"] = details }
        return BatchLineResult(customID: key, outcome: .reply(status: status, body: BatchPacking.json(.object(["error": .object(body)]))))
    }

    /// The `GenerateContentBatch` inside an operation (its `metadata`), or the value itself when it is one.
    static func batch(of value: JSONValue) -> JSONValue {
        if let metadata = value["metadata"], metadata["state"] != nil || metadata["displayName"] != nil { return metadata }
        return value
    }

    /// `batches/{id}` for an id given either way.
    static func resource(_ id: String) -> String {
        id.hasPrefix("batches/") ? "batches/" + BatchReading.segment(String(id.dropFirst("batches/".count))) : "batches/" + BatchReading.segment(id)
    }

    private func retrieve(_ id: String, model: ModelSpec) async throws -> JSONValue {
        try await transport.json("GET", try url("/v1beta/\(Self.resource(id))", model), headers: headers(model))
    }

    private func url(_ path: String, _ model: ModelSpec, query: [String: String] = [:]) throws -> String {
        BatchReading.adding(query, to: try ProviderURL.appending(path, to: model.baseURL))
    }

    private func headers(_ model: ModelSpec) -> [String: String] {
        CommonHeaders.plain(adding: GeminiCodec.authHeaders(apiKey: keys.key(for: model)))
    }
}

/// `google.rpc.Code` and the HTTP status Google's APIs answer for each
/// (the mapping of `google/rpc/code.proto`).
enum GRPCStatus {
    static let cancelled = 1
    static let unknown = 2
    /// Code → (HTTP status, canonical name).
    static let table: [Int: (Int, String)] = [
        0: (200, "OK"), 1: (499, "CANCELLED"), 2: (500, "UNKNOWN"), 3: (400, "INVALID_ARGUMENT"),
        4: (504, "DEADLINE_EXCEEDED"), 5: (404, "NOT_FOUND"), 6: (409, "ALREADY_EXISTS"), 7: (403, "PERMISSION_DENIED"),
        8: (429, "RESOURCE_EXHAUSTED"), 9: (400, "FAILED_PRECONDITION"), 10: (409, "ABORTED"), 11: (400, "OUT_OF_RANGE"),
        12: (501, "UNIMPLEMENTED"), 13: (500, "INTERNAL"), 14: (503, "UNAVAILABLE"), 15: (500, "DATA_LOSS"),
        16: (401, "UNAUTHENTICATED"),
    ]

    /// The HTTP status and name for `code`; an unknown code is `UNKNOWN` (500).
    static func http(_ code: Int) -> (status: Int, name: String) {
        table[code] ?? (500, "UNKNOWN")
    }
}
