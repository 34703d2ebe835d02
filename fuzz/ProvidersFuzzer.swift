// libFuzzer entry point for the provider response decoders and the retry-header readers
// (see fuzz/README.md). Compiled with Sources/Worker/Providers/*.swift and
// Sources/Worker/Retry/*.swift against a `Shared` module built from the few files they need.

import Foundation
import Shared

/// A fixed clock, so a finding replays the same way.
private let now = Date(timeIntervalSince1970: 1_750_000_000)

/// Statuses the decoders treat differently; most inputs should hit one of them.
private let interestingStatuses = [200, 201, 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 529, 302]

/// Input layout: byte 0 picks the provider (low 2 bits), the sample count (next 2 bits) and
/// whether the raw status in bytes 1–2 is used; then header lines `name: value` up to an
/// empty line; the rest is the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard bytes.count >= 3 else { return 0 }
    let control = bytes[0]
    let rawStatus = Int(bytes[1]) << 8 | Int(bytes[2])
    let status = control & 0x10 != 0 ? rawStatus % 1000 : interestingStatuses[rawStatus % interestingStatuses.count]
    let rest = bytes[3...]
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var lineStart = rest.startIndex
    while lineStart < rest.endIndex {
        let lineEnd = rest[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
        let line = String(decoding: rest[lineStart..<lineEnd], as: UTF8.self)
        lineStart = min(lineEnd + 1, rest.endIndex)
        if line.isEmpty {
            body = Array(rest[lineStart...])
            break
        }
        if let colon = line.firstIndex(of: ":") {
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
        }
    }
    let provider: Provider = [.openai, .anthropic, .gemini, .mock][Int(control & 3)]
    let samples = Int(control >> 2 & 3) + 1
    let call = ModelCall(
        model: ModelSpec(name: "m", provider: provider, model: "fuzz-model"),
        prompt: "What should I do with this?", image: [0x89, 0x50], imageMediaType: "image/png",
        firstSample: 0, count: samples, temperature: nil, maxTokens: nil)
    let codec: any ProviderCodec =
        switch provider {
        case .openai: OpenAICodec(now: { now })
        case .mock: OpenAICodec(sendsAuthorization: false, now: { now })
        case .anthropic: AnthropicCodec(now: { now })
        case .gemini: GeminiCodec(now: { now })
        }
    let response = HTTPClientResponse(status: status, headers: headers, body: body)
    switch codec.decode(response, for: call) {
    case .success(let reply):
        precondition((200...299).contains(status) || reply.samples.allSatisfy { $0.outcome == .blocked })
        precondition(!reply.samples.isEmpty && reply.samples.count <= max(1, samples))
    case .failure(let failure):
        precondition(failure.message.count <= FailureClassifier.messageLimit + 1)
        if let wait = failure.retryAfter { precondition(wait >= .zero) }
    }
    // The retry readers on their own, since decode reaches them only for retryable statuses.
    if let wait = RetryAfter.delay(headers: headers, body: body, now: now) { precondition(wait >= .zero) }
    // A few values are enough: each date parse builds a formatter, and thousands of them per
    // input would make the harness, not the product, hit the timeout.
    for value in headers.values.prefix(16) {
        if let seconds = GoDuration.seconds(value) { precondition(seconds >= 0) }
        _ = HTTPDate.parseIMFFixdate(value)
        _ = HTTPDate.parseRFC3339(value)
    }
    return 0
}
