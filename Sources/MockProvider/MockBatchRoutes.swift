import Foundation
import Hummingbird
import Shared

/// The three providers' batch routes (docs/mock-provider.md, "Batch APIs"),
/// next to the live routes on the same server.
struct MockBatchRoutes {
    let server: MockServer
    let request: Request

    /// Batch uploads and bodies run to hundreds of megabytes (OpenAI: 200 MB files, Anthropic: 256 MB).
    static let maxBodyBytes = 300 << 20

    /// The response for a batch route, or `nil` when `path` is none.
    func respond(path: String) async throws -> Response? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let reply: MockReply?
        switch (request.method, parts.dropFirst().first) {
        case (_, "v1") where parts.count >= 3 && parts[2] == "messages" && parts.count >= 4 && parts[3] == "batches":
            reply = try await AnthropicBatchRoutes(routes: self).respond(Array(parts.dropFirst(4)))
        case (_, "v1") where parts.count >= 3 && (parts[2] == "files" || parts[2] == "batches"):
            reply = try await OpenAIBatchRoutes(routes: self).respond(Array(parts.dropFirst(2)))
        case (_, "v1beta") where parts.count >= 3 && parts[2] == "batches":
            reply = GeminiBatchRoutes(routes: self).respond(Array(parts.dropFirst(3)))
        default:
            reply = nil
        }
        return reply?.response
    }

    /// The request body, or `nil` when it is larger than any batch may be.
    func body() async -> [UInt8]? {
        guard let buffer = try? await request.body.collect(upTo: Self.maxBodyBytes) else { return nil }
        return Array(buffer: buffer)
    }

    /// The request body as a JSON object, or `nil`.
    func jsonBody() async -> JSONValue? {
        guard let bytes = await body(), let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), value.objectValue != nil
        else { return nil }
        return value
    }

    /// A query parameter.
    func query(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init)
    }

    /// `http://host:port` as the client reached the server, for absolute URLs in replies.
    var origin: String {
        "http://" + (request.head.authority ?? MockHTTP.header("Host", in: request) ?? "127.0.0.1")
    }

    /// The live route's answer to a line: what the batch line gets.
    func answer(_ batch: MockBatch, _ line: MockBatchLine) -> MockReply {
        server.reply(toBody: line.body, format: batch.format, pathModel: batch.pathModel, sample: line.sample)
    }

    /// The profile governing a batch of `model`.
    func profile(_ model: String) -> MockModelProfile {
        server.config.profile(for: model)
    }

    /// Records a batch of `format` for `model` with `lines`, its delay, expiry,
    /// line errors and queue limit from the model's profile; `nil` when the
    /// queue limit refuses it (OpenAI keeps it, as a failed batch).
    func create(
        _ format: MockWireFormat, model: String, pathModel: String? = nil, lines: [MockBatchLine], id: String,
        configure: (inout MockBatch) -> Void = { _ in }
    ) -> MockBatch? {
        let profile = profile(model)
        var batch = MockBatch(
            id: id, format: format, model: model, pathModel: pathModel, created: server.batches.now(), delay: profile.batchDelaySeconds,
            expiry: profile.batchExpiry, lines: lines, erroring: [])
        configure(&batch)
        return server.batches.create(
            batch, seed: server.seed, errorRate: profile.batchLineErrors, queueLimit: profile.batchQueueLimit, failOverQueue: format == .openai)
    }

    /// RFC 3339 with fractional seconds, as Anthropic and Google write times.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
