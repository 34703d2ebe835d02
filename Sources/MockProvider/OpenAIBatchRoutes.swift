import Foundation
import Hummingbird
import Shared

/// OpenAI's Files and Batch routes: `POST /v1/files`, `GET /v1/files/{id}/content`,
/// `POST /v1/batches`, `GET /v1/batches`, `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`.
struct OpenAIBatchRoutes {
    let routes: MockBatchRoutes
    static let endpoint = "/v1/chat/completions"

    /// `parts` is the path after `/v1/`.
    func respond(_ parts: [String]) async throws -> MockReply? {
        let store = routes.server.batches
        switch (routes.request.method, parts.count, parts.first) {
        case (.post, 1, "files"): return await upload()
        case (.get, 3, "files") where parts[2] == "content":
            guard let bytes = store.file(parts[1]) else { return notFound("No such File object: \(parts[1])") }
            var reply = MockHTTP.raw(.ok, bytes: bytes)
            reply.contentType = "application/octet-stream"
            return reply
        case (.post, 1, "batches"): return await create()
        case (.get, 1, "batches"): return list()
        case (.get, 2, "batches"):
            guard let batch = store.batch(parts[1], format: .openai, answer: routes.answer) else { return notFound(parts[1]) }
            return MockHTTP.json(.ok, object(batch))
        case (.post, 3, "batches") where parts[2] == "cancel":
            guard let (batch, cancelled) = store.cancel(parts[1], format: .openai, answer: routes.answer) else { return notFound(parts[1]) }
            guard cancelled else { return invalid("Cannot cancel a batch with status '\(status(batch))'.") }
            return MockHTTP.json(.ok, object(batch))
        default:
            return nil
        }
    }

    /// A multipart upload with `purpose` and `file`.
    private func upload() async -> MockReply {
        guard let body = await routes.body() else { return invalid("The file is too large.") }
        let type = MockHTTP.header("Content-Type", in: routes.request) ?? ""
        guard let form = MultipartReader.parse(body, contentType: type), let file = form["file"] else {
            return invalid("'file' is a required multipart field.")
        }
        let purpose = form["purpose"].map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        guard purpose == "batch" else { return invalid("'purpose' must be 'batch' for this mock.") }
        let (id, created) = routes.server.batches.addFile(name: file.filename ?? "file.jsonl", bytes: file.bytes, purpose: purpose)
        return MockHTTP.json(
            .ok,
            .object([
                "id": .string(id), "object": .string("file"), "bytes": .int(Int64(file.bytes.count)),
                "created_at": .int(Int64(created.timeIntervalSince1970)), "filename": .string(file.filename ?? "file.jsonl"),
                "purpose": .string(purpose), "status": .string("processed"),
            ]))
    }

    /// `{input_file_id, endpoint, completion_window, metadata}`; the file's lines are checked as the API checks them.
    private func create() async -> MockReply {
        guard let body = await routes.jsonBody() else { return invalid("The request body must be a JSON object.") }
        guard let fileID = body["input_file_id"]?.stringValue, let file = routes.server.batches.file(fileID) else {
            return invalid("input_file_id: no such file.")
        }
        guard body["endpoint"]?.stringValue == Self.endpoint else { return invalid("endpoint: this mock batches \(Self.endpoint) only.") }
        guard body["completion_window"]?.stringValue == "24h" else { return invalid("completion_window: must be '24h'.") }
        var lines: [MockBatchLine] = []
        var seen: Set<String> = []
        var model: String?
        for (number, text) in file.split(separator: UInt8(ascii: "\n")).enumerated() where !text.allSatisfy({ $0 == 32 || $0 == 13 }) {
            guard let line = try? JSONDecoder().decode(JSONValue.self, from: Data(text)), let customID = line["custom_id"]?.stringValue,
                line["method"]?.stringValue == "POST", line["url"]?.stringValue == Self.endpoint, let request = line["body"],
                request.objectValue != nil
            else {
                return invalid("line \(number + 1): expected {custom_id, method: POST, url: \(Self.endpoint), body}.")
            }
            guard seen.insert(customID).inserted else { return invalid("line \(number + 1): duplicate custom_id '\(customID)'.") }
            let lineModel = request["model"]?.stringValue ?? ""
            if let model, model != lineModel { return invalid("line \(number + 1): every line must use the same model.") }
            model = lineModel
            lines.append(MockBatchLine(customID: customID, body: request.requestBytes, sample: MockBatchLine.sample(of: customID)))
        }
        guard let model, !lines.isEmpty else { return invalid("the input file has no requests.") }
        let created = routes.create(.openai, model: model, lines: lines, id: MockBatchStore.newID("batch_")) { batch in
            batch.inputFileID = fileID
            batch.metadata = body["metadata"] ?? .null
        }
        // OpenAI keeps a batch over its queue limit, as a failed one.
        guard let batch = created else { return invalid("the batch was refused") }
        return MockHTTP.json(.ok, object(batch))
    }

    /// `GET /v1/batches?limit&after`, newest first.
    private func list() -> MockReply {
        let limit = min(100, max(1, routes.query("limit").flatMap { Int($0) } ?? 20))
        var batches = routes.server.batches.list(format: .openai, answer: routes.answer)
        if let after = routes.query("after"), let index = batches.firstIndex(where: { $0.id == after }) {
            batches = Array(batches[(index + 1)...])
        }
        let page = Array(batches.prefix(limit))
        return MockHTTP.json(
            .ok,
            .object([
                "object": .string("list"), "data": .array(page.map(object)),
                "first_id": page.first.map { .string($0.id) } ?? .null, "last_id": page.last.map { .string($0.id) } ?? .null,
                "has_more": .bool(batches.count > page.count),
            ]))
    }

    private func status(_ batch: MockBatch) -> String {
        switch batch.end {
        case .completed?: "completed"
        case .expired?: "expired"
        case .cancelled?: "cancelled"
        case .failed?: "failed"
        case nil: batch.cancelRequested != nil ? "cancelling" : "in_progress"
        }
    }

    /// The Batch object.
    private func object(_ batch: MockBatch) -> JSONValue {
        let now = routes.server.batches.now()
        let (done, failed) = batch.answered(at: now)
        let unix = { (date: Date) -> JSONValue in .int(Int64(date.timeIntervalSince1970)) }
        let endStamp = batch.endedAt.map(unix) ?? .null
        // Lines never answered count as failed once the batch has ended (they are in the error file);
        // a batch that failed at once ran none.
        let failedTotal = failed + (batch.end != nil && batch.end != .failed ? batch.lines.count - done : 0)
        return .object([
            "id": .string(batch.id), "object": .string("batch"), "endpoint": .string(Self.endpoint), "model": .string(batch.model),
            "input_file_id": .string(batch.inputFileID ?? ""), "completion_window": .string("24h"), "status": .string(status(batch)),
            "output_file_id": batch.outputFileID.map(JSONValue.string) ?? .null,
            "error_file_id": batch.errorFileID.map(JSONValue.string) ?? .null, "errors": errors(batch),
            "created_at": unix(batch.created), "in_progress_at": unix(batch.created),
            "expires_at": unix(batch.created.addingTimeInterval(86_400)),
            "completed_at": batch.end == .completed ? endStamp : .null, "expired_at": batch.end == .expired ? endStamp : .null,
            "cancelling_at": batch.cancelRequested.map(unix) ?? .null, "cancelled_at": batch.end == .cancelled ? endStamp : .null,
            "failed_at": batch.end == .failed ? endStamp : .null, "finalizing_at": batch.end == .failed ? .null : endStamp,
            "request_counts": .object([
                "total": .int(Int64(batch.lines.count)), "completed": .int(Int64(done - failed)), "failed": .int(Int64(failedTotal)),
            ]),
            "metadata": batch.metadata,
        ])
    }

    /// `errors` of a batch that failed: `{object: list, data: [{code, message, param, line}]}`.
    private func errors(_ batch: MockBatch) -> JSONValue {
        guard let failure = batch.failure else { return .null }
        return .object([
            "object": .string("list"),
            "data": .array([
                .object(["code": .string("token_limit_exceeded"), "message": .string(failure), "param": .null, "line": .null])
            ]),
        ])
    }

    private func invalid(_ message: String) -> MockReply {
        OpenAIWire().badRequest(message)
    }

    private func notFound(_ what: String) -> MockReply {
        MockHTTP.json(
            .notFound,
            .object([
                "error": .object([
                    "message": .string("No batch or file found with id '\(what)'."), "type": .string("invalid_request_error"),
                    "param": .null, "code": .null,
                ])
            ]))
    }
}

/// OpenAI's output and error files of an ended batch: `{id, custom_id,
/// response: {status_code, request_id, body}, error}` per line; a line that
/// never ran has `response: null` and `error: {code: batch_expired | batch_cancelled}`.
enum OpenAIBatchFiles {
    static func render(_ batch: MockBatch) -> (output: [UInt8], errors: [UInt8]) {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        for (customID, result) in batch.results {
            let lineID = JSONValue.string("batch_req_" + String(SHA256Hex.digest("\(batch.id)\u{1F}\(customID)").prefix(24)))
            switch result {
            case .reply(let reply, _):
                let line: JSONValue = .object([
                    "id": lineID, "custom_id": .string(customID),
                    "response": .object([
                        "status_code": .int(Int64(reply.status.code)), "request_id": lineID, "body": reply.json,
                    ]),
                    "error": .null,
                ])
                if (200...299).contains(Int(reply.status.code)) {
                    output += line.requestBytes + [10]
                } else {
                    errors += line.requestBytes + [10]
                }
            case .unanswered(let end):
                let code = end == .cancelled ? "batch_cancelled" : "batch_expired"
                let message =
                    end == .cancelled
                    ? "This request was not executed because the batch was cancelled."
                    : "This request could not be executed before the completion window expired."
                let line: JSONValue = .object([
                    "id": lineID, "custom_id": .string(customID), "response": .null,
                    "error": .object(["code": .string(code), "message": .string(message)]),
                ])
                errors += line.requestBytes + [10]
            }
        }
        return (output, errors)
    }
}

extension JSONValue {
    /// Compact JSON bytes with sorted keys.
    var requestBytes: [UInt8] { Array(canonicalData()) }
}
