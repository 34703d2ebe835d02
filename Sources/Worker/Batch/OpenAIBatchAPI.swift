import Foundation
import Shared

/// OpenAI's Batch API (also the mock provider's): the lines go up as a JSONL
/// file (`POST /files`, `purpose=batch`), `POST /batches` creates the batch
/// with the tag in `metadata`, and the answers come back in its output and
/// error files (docs/architecture.md, "Batch mode").
public struct OpenAIBatchAPI: BatchAPI {
    /// The one endpoint batched: Chat Completions, as the live route.
    public static let endpoint = "/v1/chat/completions"
    /// The `metadata` key that holds the tag.
    public static let tagKey = "siuo_tag"
    /// Batches per page of the list route (its maximum).
    static let pageSize = 100

    /// The live codec: it builds each line's body and the auth header.
    public let codec: OpenAICodec
    let keys: KeyRing
    let transport: BatchTransport

    /// A client that sends through `http` with `keys`; each exchange ends within `timeout`.
    public init(codec: OpenAICodec, http: CurlMultiClient, keys: KeyRing, timeout: TimeInterval) {
        self.codec = codec
        self.keys = keys
        self.transport = BatchTransport(http: http, timeout: timeout, now: codec.now)
    }

    /// The lines `submit` sends for these arguments.
    public func included(_ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int) throws -> [String] {
        try pack(lines, maxBytes: maxBytes).included
    }

    /// The JSONL file of the lines that fit in `maxBytes`, and their custom ids.
    private func pack(_ lines: [BatchLine], maxBytes: Int) throws(ProviderFailure) -> (body: [UInt8], included: [String]) {
        let encoded = lines.map { line in
            let request: JSONValue = .object([
                "custom_id": .string(line.customID), "method": .string("POST"), "url": .string(Self.endpoint),
                "body": codec.body(for: line.call),
            ])
            return BatchPacking.Encoded(customID: line.customID, bytes: BatchPacking.json(request) + [UInt8(ascii: "\n")])
        }
        return try BatchPacking.pack(encoded, maxBytes: maxBytes)
    }

    /// Uploads the lines that fit in `maxBytes` (the JSONL file), then creates the batch.
    public func submit(
        _ lines: [BatchLine], model: ModelSpec, tag: String, maxBytes: Int,
        beforeCreate: @Sendable () async throws -> Void
    ) async throws -> BatchSubmission {
        let (file, included) = try pack(lines, maxBytes: maxBytes)
        var form = MultipartForm()
        form.field("purpose", "batch")
        form.file("file", filename: "\(tag).jsonl", contentType: "application/jsonl", bytes: file)
        var uploadHeaders = headers(model)
        uploadHeaders["Content-Type"] = form.contentType
        let upload = try await transport.json("POST", try url("/files", model), headers: uploadHeaders, body: form.encoded())
        guard let fileID = upload["id"]?.stringValue else { throw BatchFailure.malformed("the uploaded file has no id") }
        try await beforeCreate()
        let create: JSONValue = .object([
            "input_file_id": .string(fileID), "endpoint": .string(Self.endpoint), "completion_window": .string("24h"),
            "metadata": .object([Self.tagKey: .string(tag)]),
        ])
        let batch = try await transport.json("POST", try url("/batches", model), headers: headers(model), body: create.requestBody)
        guard let id = batch["id"]?.stringValue else { throw BatchFailure.malformed("the created batch has no id") }
        return BatchSubmission(providerBatchID: id, included: included)
    }

    /// Pages through `GET /batches` (newest first) for the batch whose `metadata` holds `tag`.
    public func find(tag: String, lineCount: Int, createdAfter: Date, known: Set<String>, model: ModelSpec) async throws -> String? {
        var after: String?
        while true {
            var query = ["limit": String(Self.pageSize)]
            if let after { query["after"] = after }
            let page = try await transport.json("GET", try url("/batches", model, query: query), headers: headers(model))
            let batches = page["data"]?.arrayValue ?? []
            if let match = batches.first(where: { $0["metadata"]?[Self.tagKey]?.stringValue == tag }) {
                return match["id"]?.stringValue
            }
            let created = batches.compactMap { $0["created_at"]?.intValue }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
            guard page["has_more"] == .bool(true), let last = batches.last?["id"]?.stringValue,
                !BatchListing.pageIsOlder(created, than: createdAfter)
            else { return nil }
            after = last
        }
    }

    /// `GET /batches/{id}`: `status` and `request_counts`.
    public func progress(of providerBatchID: String, model: ModelSpec) async throws -> BatchProgress {
        let batch = try await retrieve(providerBatchID, model: model)
        let state = batch["status"]?.stringValue ?? ""
        let counts = batch["request_counts"]
        let completed = ProviderCount.read(counts?["completed"])
        let failed = ProviderCount.read(counts?["failed"])
        return BatchProgress(
            ended: Self.endedStates.contains(state), providerState: state, done: completed + failed, failed: failed,
            total: ProviderCount.read(counts?["total"]))
    }

    /// `POST /batches/{id}/cancel`; a batch that has already ended counts as cancelled.
    public func cancel(_ providerBatchID: String, model: ModelSpec) async throws {
        try await cancelOrEnded(providerBatchID, model: model) {
            _ = try await transport.json("POST", try url("/batches/\(BatchReading.segment(providerBatchID))/cancel", model), headers: headers(model))
        }
    }

    /// The lines of the output and error files. A batch that `failed`
    /// validation (its input was refused, or the enqueued-token limit was
    /// reached) ran no line: every line of its input file is unanswered.
    public func results(of providerBatchID: String, model: ModelSpec) async throws -> [BatchLineResult] {
        let batch = try await retrieve(providerBatchID, model: model)
        if batch["status"]?.stringValue == "failed", let input = batch["input_file_id"]?.stringValue {
            let errors = batch["errors"]?["data"]?.arrayValue ?? []
            let reason =
                errors.first.map { error in
                    [error["code"]?.stringValue, error["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
                } ?? "the batch failed"
            return try await content(of: input, model: model).compactMap { line in
                line["custom_id"]?.stringValue.map { BatchLineResult(customID: $0, outcome: .unanswered(reason: "batch failed: " + reason)) }
            }
        }
        var results: [BatchLineResult] = []
        for file in try Self.resultFiles(of: batch) {
            results += try await content(of: file, model: model).compactMap(Self.lineResult)
        }
        return results
    }

    /// The output and error files of an ended batch. A batch that says lines
    /// completed but names neither file is an unusable reply, not "no answers":
    /// those lines were paid for, and running them live would pay again.
    static func resultFiles(of batch: JSONValue) throws -> [String] {
        let files = ["output_file_id", "error_file_id"].compactMap { batch[$0]?.stringValue }.filter { !$0.isEmpty }
        let completed = ProviderCount.read(batch["request_counts"]?["completed"])
        if files.isEmpty, completed > 0 {
            throw BatchFailure.malformed("the batch completed \(completed) lines but names no output or error file")
        }
        return files
    }

    /// One output line: `response.status_code` and `response.body` are the
    /// live exchange; `error` without a response (`batch_expired`,
    /// `batch_cancelled`) means the line never ran.
    static func lineResult(_ line: JSONValue) -> BatchLineResult? {
        guard let customID = line["custom_id"]?.stringValue else { return nil }
        if let response = line["response"], !response.isNull, let status = response["status_code"]?.intValue {
            let body = response["body"].map(BatchPacking.json) ?? []
            return BatchLineResult(customID: customID, outcome: .reply(status: status, body: body))
        }
        let error = line["error"]
        let reason = [error?["code"]?.stringValue, error?["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
        return BatchLineResult(customID: customID, outcome: .unanswered(reason: reason.isEmpty ? "no response" : reason))
    }

    /// States after which the batch changes no more.
    static let endedStates: Set<String> = ["completed", "failed", "expired", "cancelled"]

    private func retrieve(_ id: String, model: ModelSpec) async throws -> JSONValue {
        try await transport.json("GET", try url("/batches/\(BatchReading.segment(id))", model), headers: headers(model))
    }

    private func content(of file: String, model: ModelSpec) async throws -> [JSONValue] {
        let response = try await transport.send("GET", try url("/files/\(BatchReading.segment(file))/content", model), headers: headers(model))
        return JSONLines.parse(response.body)
    }

    private func url(_ path: String, _ model: ModelSpec, query: [String: String] = [:]) throws -> String {
        BatchReading.adding(query, to: try ProviderURL.appending(path, to: model.baseURL))
    }

    private func headers(_ model: ModelSpec) -> [String: String] {
        CommonHeaders.plain(adding: codec.authHeaders(apiKey: keys.key(for: model), baseURL: model.baseURL))
    }
}
