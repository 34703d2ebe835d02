import Foundation
import Hummingbird
import Shared

/// Anthropic's Message Batches routes under `/v1/messages/batches`: create,
/// list, retrieve, cancel, and the results JSONL at `results_url`.
struct AnthropicBatchRoutes {
    let routes: MockBatchRoutes

    /// `parts` is the path after `/v1/messages/batches`.
    func respond(_ parts: [String]) async throws -> MockReply? {
        let store = routes.server.batches
        let parts = parts.first == "" && parts.count == 1 ? [] : parts
        switch (routes.request.method, parts.count) {
        case (.post, 0): return await create()
        case (.get, 0): return list()
        case (.get, 1):
            guard let batch = store.batch(parts[0], format: .anthropic, answer: routes.answer) else { return notFound(parts[0]) }
            return MockHTTP.json(.ok, object(batch))
        case (.post, 2) where parts[1] == "cancel":
            guard let (batch, cancelled) = store.cancel(parts[0], format: .anthropic, answer: routes.answer) else { return notFound(parts[0]) }
            guard cancelled else { return AnthropicWire().badRequest("Batch \(batch.id) has already ended and cannot be canceled.") }
            return MockHTTP.json(.ok, object(batch))
        case (.get, 2) where parts[1] == "results":
            guard let batch = store.batch(parts[0], format: .anthropic, answer: routes.answer) else { return notFound(parts[0]) }
            guard batch.end != nil else { return AnthropicWire().badRequest("Batch \(batch.id) is still processing; results are not available yet.") }
            var reply = MockHTTP.raw(.ok, bytes: results(batch))
            reply.contentType = "application/binary"
            return reply
        default:
            return nil
        }
    }

    /// `{requests: [{custom_id, params}]}`; each `params` is read as the live route reads its body.
    private func create() async -> MockReply {
        guard let body = await routes.jsonBody(), case .array(let requests)? = body["requests"], !requests.isEmpty else {
            return AnthropicWire().badRequest("requests: Field required")
        }
        var lines: [MockBatchLine] = []
        var seen: Set<String> = []
        for (index, request) in requests.enumerated() {
            guard let customID = request["custom_id"]?.stringValue, Self.validCustomID(customID) else {
                return AnthropicWire().badRequest("requests.\(index).custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'")
            }
            guard seen.insert(customID).inserted else {
                return AnthropicWire().badRequest("requests.\(index): custom_id '\(customID)' is not unique within the batch")
            }
            guard let params = request["params"], params.objectValue != nil else {
                return AnthropicWire().badRequest("requests.\(index).params: Field required")
            }
            lines.append(MockBatchLine(customID: customID, body: params.requestBytes, sample: MockBatchLine.sample(of: customID)))
        }
        let model = requests[0]["params"]?["model"]?.stringValue ?? ""
        guard let batch = routes.create(.anthropic, model: model, lines: lines, id: MockBatchStore.newID("msgbatch_")) else {
            var refusal = MockHTTP.json(
                .tooManyRequests,
                .object([
                    "type": .string("error"),
                    "error": .object([
                        "type": .string("rate_limit_error"),
                        "message": .string("Number of queued batch requests for \(model) exceeds your organization's limit."),
                    ]),
                ]))
            MockHTTP.add([("retry-after", "1")], to: &refusal)
            return refusal
        }
        return MockHTTP.json(.ok, object(batch))
    }

    /// `GET ?limit&after_id`, newest first.
    private func list() -> MockReply {
        let limit = min(1000, max(1, routes.query("limit").flatMap { Int($0) } ?? 20))
        var batches = routes.server.batches.list(format: .anthropic, answer: routes.answer)
        if let after = routes.query("after_id"), let index = batches.firstIndex(where: { $0.id == after }) {
            batches = Array(batches[(index + 1)...])
        }
        let page = Array(batches.prefix(limit))
        return MockHTTP.json(
            .ok,
            .object([
                "data": .array(page.map(object)), "has_more": .bool(batches.count > page.count),
                "first_id": page.first.map { .string($0.id) } ?? .null, "last_id": page.last.map { .string($0.id) } ?? .null,
            ]))
    }

    /// The MessageBatch object; the counts other than `processing` stay zero until it ends, as the API documents.
    private func object(_ batch: MockBatch) -> JSONValue {
        var counts = ["processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0]
        if batch.end == nil {
            counts["processing"] = batch.lines.count
        } else {
            for (_, result) in batch.results {
                counts[Self.type(of: result), default: 0] += 1
            }
        }
        let stamp = { (date: Date) -> JSONValue in .string(MockBatchRoutes.timestamp(date)) }
        let state = batch.end != nil ? "ended" : batch.cancelRequested != nil ? "canceling" : "in_progress"
        return .object([
            "id": .string(batch.id), "type": .string("message_batch"), "processing_status": .string(state),
            "request_counts": .object(counts.mapValues { .int(Int64($0)) }),
            "created_at": stamp(batch.created), "expires_at": stamp(batch.created.addingTimeInterval(86_400)),
            "ended_at": batch.endedAt.map(stamp) ?? .null, "cancel_initiated_at": batch.cancelRequested.map(stamp) ?? .null,
            "archived_at": .null,
            "results_url": batch.end != nil ? .string("\(routes.origin)/v1/messages/batches/\(batch.id)/results") : .null,
        ])
    }

    /// The results JSONL: `{custom_id, result: {type, message | error}}` per line.
    private func results(_ batch: MockBatch) -> [UInt8] {
        var bytes: [UInt8] = []
        for (customID, result) in batch.results {
            var outcome: [String: JSONValue] = ["type": .string(Self.type(of: result))]
            if case .reply(let reply, _) = result {
                if (200...299).contains(Int(reply.status.code)) {
                    outcome["message"] = reply.json
                } else {
                    outcome["error"] = reply.json
                }
            }
            bytes += JSONValue.object(["custom_id": .string(customID), "result": .object(outcome)]).requestBytes + [10]
        }
        return bytes
    }

    private static func type(of result: MockLineResult) -> String {
        switch result {
        case .reply(let reply, _): (200...299).contains(Int(reply.status.code)) ? "succeeded" : "errored"
        case .unanswered(.cancelled): "canceled"
        case .unanswered: "expired"
        }
    }

    static func validCustomID(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    private func notFound(_ id: String) -> MockReply {
        MockHTTP.json(
            .notFound,
            .object(["type": .string("error"), "error": .object(["type": .string("not_found_error"), "message": .string("No batch \(id)")])]))
    }
}
