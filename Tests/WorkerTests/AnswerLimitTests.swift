import Foundation
import Shared
import Testing

@testable import Worker

/// An answer too long for the coordinator to store fails the job for good
/// instead of becoming a result that is refused and paid for again.
@Suite struct AnswerLimitTests {
    static func completion(_ texts: [String]) -> String {
        let choices = texts.enumerated().map { index, text in
            JSONValue.object([
                "index": .int(Int64(index)), "message": .object(["content": .string(text)]), "finish_reason": .string("stop"),
            ])
        }
        return String(decoding: JSONValue.object(["choices": .array(choices)]).canonicalData(), as: UTF8.self)
    }

    @Test func anAnswerOverTheLimitIsAPermanentFailure() throws {
        let gateway = ModelGateway(keys: KeyRing(environment: [:]), requestTimeout: 30)
        let call = ProviderFixtures.call(.openai, count: 2)
        let long = String(repeating: "é", count: AnswerLimit.maxBytes / 2 + 1)
        let refused = gateway.decode(BatchReply(customID: "j1-s0", status: 200, body: Self.completion(["short", long])), for: call)
        let failure = try #require(ProviderFixtures.failure(refused))
        #expect(!failure.retryable && !failure.throttled)
        #expect(
            failure.message
                == "HTTP 200: an answer of \(AnswerLimit.maxBytes + 2) bytes is longer than the \(AnswerLimit.maxBytes) bytes a result may carry per answer"
        )
    }

    @Test func anAnswerAtTheLimitIsKept() throws {
        let gateway = ModelGateway(keys: KeyRing(environment: [:]), requestTimeout: 30)
        let atLimit = String(repeating: "a", count: AnswerLimit.maxBytes)
        let reply = try ProviderFixtures.reply(
            gateway.decode(BatchReply(customID: "j1-s0", status: 200, body: Self.completion([atLimit])), for: ProviderFixtures.call(.openai)))
        #expect(reply.samples.map(\.text) == [atLimit])
    }
}
