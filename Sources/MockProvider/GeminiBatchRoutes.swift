import Foundation
import Hummingbird
import Shared

/// Gemini's batch routes: `POST /v1beta/models/{model}:batchGenerateContent`,
/// `GET /v1beta/batches`, `GET /v1beta/batches/{id}`, `POST /v1beta/batches/{id}:cancel`.
/// A batch is a long-running operation whose `metadata` is the
/// `GenerateContentBatch` (state `BATCH_STATE_*`, `batchStats`, and once
/// done the inlined responses in `output`), as the REST wire has it.
struct GeminiBatchRoutes {
    let routes: MockBatchRoutes

    /// `parts` is the path after `/v1beta/batches`.
    func respond(_ parts: [String]) -> MockReply? {
        let store = routes.server.batches
        switch (routes.request.method, parts.count) {
        case (.get, 0): return list()
        case (.get, 1):
            guard let batch = store.batch(parts[0], format: .gemini, answer: routes.answer) else { return notFound(parts[0]) }
            return MockHTTP.json(.ok, operation(batch))
        case (.post, 1) where parts[0].hasSuffix(":cancel"):
            let id = String(parts[0].dropLast(":cancel".count))
            guard let (_, cancelled) = store.cancel(id, format: .gemini, answer: routes.answer) else { return notFound(id) }
            guard cancelled else { return GeminiWire.error(400, status: "FAILED_PRECONDITION", message: "Batch batches/\(id) has already ended.") }
            return MockHTTP.json(.ok, .object([:]))
        default:
            return nil
        }
    }

    /// `{batch: {displayName, inputConfig: {requests: {requests: [{request, metadata: {key}}]}}}}`
    /// (proto3 JSON: the snake_case names are read too).
    func create(model: String) async -> MockReply {
        guard let body = await routes.jsonBody(), let batch = body["batch"], batch.objectValue != nil else {
            return GeminiWire().badRequest("* BatchGenerateContentRequest.batch: batch is not specified")
        }
        let input = batch["inputConfig"] ?? batch["input_config"]
        guard case .array(let requests)? = input?["requests"]?["requests"], !requests.isEmpty else {
            return GeminiWire().badRequest("* GenerateContentBatch.input_config: requests are not specified")
        }
        var lines: [MockBatchLine] = []
        for (index, item) in requests.enumerated() {
            guard let request = item["request"], request.objectValue != nil else {
                return GeminiWire().badRequest("* requests[\(index)].request: request is not specified")
            }
            let key = item["metadata"]?["key"]?.stringValue ?? String(index)
            lines.append(MockBatchLine(customID: key, body: request.requestBytes, sample: MockBatchLine.sample(of: key)))
        }
        let name = (batch["displayName"] ?? batch["display_name"])?.stringValue
        let created = routes.create(.gemini, model: model, pathModel: model, lines: lines, id: MockBatchStore.newID("")) { created in
            created.displayName = name
        }
        guard let created else {
            return GeminiWire.error(429, status: "RESOURCE_EXHAUSTED", message: "Enqueued batch requests for models/\(model) exceed the quota.")
        }
        return MockHTTP.json(.ok, operation(created))
    }

    /// `GET ?pageSize&pageToken`, newest first; the token is the last id of the page before.
    private func list() -> MockReply {
        let size = min(1000, max(1, routes.query("pageSize").flatMap { Int($0) } ?? 50))
        var batches = routes.server.batches.list(format: .gemini, answer: routes.answer)
        if let token = routes.query("pageToken"), let index = batches.firstIndex(where: { $0.id == token }) {
            batches = Array(batches[(index + 1)...])
        }
        let page = Array(batches.prefix(size))
        var body: [String: JSONValue] = ["operations": .array(page.map(operation))]
        if batches.count > page.count, let last = page.last { body["nextPageToken"] = .string(last.id) }
        return MockHTTP.json(.ok, .object(body))
    }

    private func state(_ batch: MockBatch) -> String {
        switch batch.end {
        case .completed?: "BATCH_STATE_SUCCEEDED"
        case .expired?: "BATCH_STATE_EXPIRED"
        case .cancelled?: "BATCH_STATE_CANCELLED"
        case .failed?: "BATCH_STATE_FAILED"
        case nil: "BATCH_STATE_RUNNING"
        }
    }

    /// The operation: `{name, metadata: GenerateContentBatch, done, response?}`.
    private func operation(_ batch: MockBatch) -> JSONValue {
        let (done, failed) = batch.answered(at: routes.server.batches.now())
        let stamp = { (date: Date) -> JSONValue in .string(MockBatchRoutes.timestamp(date)) }
        var metadata: [String: JSONValue] = [
            "@type": .string("type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch"),
            "name": .string("batches/\(batch.id)"), "model": .string("models/\(batch.model)"),
            "displayName": batch.displayName.map(JSONValue.string) ?? .null, "state": .string(state(batch)),
            "createTime": stamp(batch.created), "updateTime": stamp(batch.endedAt ?? batch.created),
            // int64 fields are strings in proto3 JSON.
            "batchStats": .object([
                "requestCount": .string(String(batch.lines.count)), "successfulRequestCount": .string(String(done - failed)),
                "failedRequestCount": .string(String(failed)),
                "pendingRequestCount": .string(String(batch.end == nil ? batch.lines.count - done : 0)),
            ]),
        ]
        var operation: [String: JSONValue] = ["name": .string("batches/\(batch.id)"), "done": .bool(batch.end != nil)]
        if let endedAt = batch.endedAt {
            metadata["endTime"] = stamp(endedAt)
            let inlined: JSONValue = .object(["inlinedResponses": .array(responses(batch))])
            metadata["output"] = .object(["inlinedResponses": inlined])
            operation["response"] = .object([
                "@type": .string("type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput"),
                "inlinedResponses": inlined,
            ])
        }
        operation["metadata"] = .object(metadata)
        return .object(operation)
    }

    /// One inlined response per answered line, in request order: `response`,
    /// or `error` as a `google.rpc.Status`; lines that never ran are absent.
    private func responses(_ batch: MockBatch) -> [JSONValue] {
        batch.results.compactMap { customID, result in
            guard case .reply(let reply, _) = result else { return nil }
            let metadata: JSONValue = .object(["key": .string(customID)])
            if (200...299).contains(Int(reply.status.code)) {
                return .object(["response": reply.json, "metadata": metadata])
            }
            let error = reply.json["error"]
            let status: JSONValue = .object([
                "code": .int(Int64(Self.grpcCode(httpStatus: Int(reply.status.code)))),
                "message": error?["message"] ?? .string("error"),
            ])
            return .object(["error": status, "metadata": metadata])
        }
    }

    /// The `google.rpc.Code` Google's APIs send for an HTTP status.
    static func grpcCode(httpStatus: Int) -> Int {
        switch httpStatus {
        case 400: 3
        case 401: 16
        case 403: 7
        case 404: 5
        case 409: 10
        case 429: 8
        case 499: 1
        case 501: 12
        case 503: 14
        case 504: 4
        default: 13
        }
    }

    private func notFound(_ id: String) -> MockReply {
        GeminiWire.error(404, status: "NOT_FOUND", message: "Requested entity was not found: batches/\(id)")
    }
}
