import Foundation
import MockProvider
import Shared
import Testing
import Worker

/// Each provider's batch client against the mock's batch routes: real HTTP
/// on loopback through libcurl.
@Suite struct BatchAPITests {
    @Test(arguments: BatchScene.providers)
    func submitFindPollCollectEqualsLive(provider: Provider) async throws {
        try await BatchScene.with(provider) { scene in
            let lines = scene.lines(5)
            let tag = "siuo-b-\(provider.rawValue)-1"
            let started = Date().addingTimeInterval(-1)
            let submission = try await scene.submit(lines, tag: tag)
            #expect(submission.included == lines.map(\.customID))

            let found = try await scene.api.find(tag: tag, lineCount: lines.count, createdAfter: started, known: [], model: scene.model)
            #expect(found == submission.providerBatchID)
            let other = try await scene.api.find(tag: "siuo-b-none", lineCount: 99, createdAfter: started, known: [], model: scene.model)
            #expect(other == nil)

            let progress = try await scene.waitForEnd(submission.providerBatchID)
            #expect(progress.ended)
            #expect(progress.total == lines.count)
            #expect(progress.done == lines.count)

            let results = try await scene.results(submission.providerBatchID)
            #expect(results.count == lines.count)
            var outcomes: Set<ResponseOutcome> = []
            for line in lines {
                let batch = try #require(scene.decode(results[line.customID], for: line.call), "\(line.customID) unanswered")
                let live = try await scene.live(line.call)
                #expect(batch == live, "\(line.customID)")
                for sample in (try? batch.get())?.samples ?? [] { outcomes.insert(sample.outcome) }
            }
            // Not a vacuous equality: the lines carry answers, and (per the mock's weights) more than one kind.
            #expect(outcomes.contains(.answer))
            #expect(try await scene.counter("lines_answered") == Int64(lines.count))
            #expect(try await scene.counter("duplicate_paid_lines") == 0)
        }
    }

    @Test(arguments: BatchScene.providers)
    func erroredLineSucceedsWhenSentAgain(provider: Provider) async throws {
        var profile = BatchScene.quick
        profile.batchLineErrors = 1
        try await BatchScene.with(provider, config: MockConfig(defaults: profile)) { scene in
            let lines = scene.lines(3)
            let first = try await scene.submit(lines)
            _ = try await scene.waitForEnd(first.providerBatchID)
            let errored = try await scene.results(first.providerBatchID)
            for line in lines {
                let failure = try #require(scene.decode(errored[line.customID], for: line.call)).failure
                #expect(failure?.retryable == true, "\(line.customID) should fail retryably")
                #expect(failure?.status == 500)
            }
            let progress = try await scene.api.progress(of: first.providerBatchID, model: scene.model)
            #expect(progress.failed == lines.count)

            let second = try await scene.submit(lines)
            _ = try await scene.waitForEnd(second.providerBatchID)
            let answered = try await scene.results(second.providerBatchID)
            for line in lines {
                let reply = try #require(scene.decode(answered[line.customID], for: line.call))
                #expect(reply == (try await scene.live(line.call)))
            }
            #expect(try await scene.counter("lines_errored") == 3)
            #expect(try await scene.counter("duplicate_paid_lines") == 0)
        }
    }

    @Test(arguments: BatchScene.providers)
    func expiredBatchAnswersTheFirstHalf(provider: Provider) async throws {
        var profile = BatchScene.quick
        profile.batchExpiry = .half
        try await BatchScene.with(provider, config: MockConfig(defaults: profile)) { scene in
            let lines = scene.lines(4)
            let submission = try await scene.submit(lines)
            let progress = try await scene.waitForEnd(submission.providerBatchID)
            #expect(progress.ended)
            #expect(["expired", "ended", "BATCH_STATE_EXPIRED"].contains(progress.providerState))
            let results = try await scene.results(submission.providerBatchID)
            for line in lines.prefix(2) {
                #expect(scene.decode(results[line.customID], for: line.call) == (try await scene.live(line.call)))
            }
            for line in lines.suffix(2) {
                // Gemini leaves lines that never ran out; the others say why.
                switch results[line.customID] {
                case .unanswered?: #expect(provider != .gemini)
                case nil: #expect(provider == .gemini)
                case .reply?: Issue.record("\(line.customID) was answered after the batch expired")
                }
            }
        }
    }

    @Test(arguments: BatchScene.providers)
    func cancelledBatchLeavesItsLinesUnanswered(provider: Provider) async throws {
        var profile = BatchScene.quick
        profile.batchDelaySeconds = 3600
        try await BatchScene.with(provider, config: MockConfig(defaults: profile)) { scene in
            let lines = scene.lines(3)
            let submission = try await scene.submit(lines)
            let running = try await scene.api.progress(of: submission.providerBatchID, model: scene.model)
            #expect(!running.ended)
            try await scene.api.cancel(submission.providerBatchID, model: scene.model)
            let progress = try await scene.waitForEnd(submission.providerBatchID)
            #expect(["cancelled", "ended", "BATCH_STATE_CANCELLED"].contains(progress.providerState))
            let results = try await scene.results(submission.providerBatchID)
            for line in lines {
                if case .reply? = results[line.customID] { Issue.record("\(line.customID) was answered after the cancel") }
            }
            // Cancelling what has ended already is no failure.
            try await scene.api.cancel(submission.providerBatchID, model: scene.model)
            #expect(try await scene.counter("lines_answered") == 0)
        }
    }

    @Test(arguments: BatchScene.providers)
    func sizeCapSendsTheLinesThatFit(provider: Provider) async throws {
        try await BatchScene.with(provider) { scene in
            let lines = scene.lines(3)
            // Room for two lines and a half.
            let oneLine = try await Self.firstLineBytes(scene, lines)
            let capped = try await scene.submit(lines, tag: "siuo-capped", maxBytes: oneLine * 2 + oneLine / 2)
            #expect(capped.included == Array(lines.prefix(2).map(\.customID)))
            // What a search for this batch must look for: the same lines, told without sending anything.
            #expect(try scene.api.included(lines, model: scene.model, tag: "siuo-capped", maxBytes: oneLine * 2 + oneLine / 2) == capped.included)
            let progress = try await scene.waitForEnd(capped.providerBatchID)
            #expect(progress.total == 2)

            await #expect(throws: ProviderFailure.self) {
                _ = try await scene.submit(lines, maxBytes: oneLine / 2)
            }
            let tooSmall = await #expect(throws: ProviderFailure.self) {
                _ = try await scene.submit(lines, maxBytes: 10)
            }
            #expect(tooSmall?.retryable == false)
            #expect(tooSmall?.message.contains("10 bytes") == true)
        }
    }

    @Test(arguments: BatchScene.providers)
    func failingBeforeCreateCreatesNoBatch(provider: Provider) async throws {
        struct Refused: Error {}
        try await BatchScene.with(provider) { scene in
            await #expect(throws: Refused.self) {
                _ = try await scene.api.submit(
                    scene.lines(2), model: scene.model, tag: "siuo-refused", maxBytes: 1 << 20, beforeCreate: { throw Refused() })
            }
            let created = try await scene.batchStats()["created"]
            let total = ["openai", "anthropic", "gemini"].compactMap { created?[$0] }.reduce(Int64(0)) { sum, value in
                if case .int(let count) = value { return sum + count }
                return sum
            }
            #expect(total == 0)
            let found = try await scene.api.find(tag: "siuo-refused", lineCount: 2, createdAfter: .distantPast, known: [], model: scene.model)
            #expect(found == nil)
        }
    }

    @Test(arguments: BatchScene.providers)
    func queueLimitIsThrottledOrFailsTheBatch(provider: Provider) async throws {
        var profile = BatchScene.quick
        profile.batchDelaySeconds = 3600
        profile.batchQueueLimit = 3
        try await BatchScene.with(provider, config: MockConfig(defaults: profile)) { scene in
            _ = try await scene.submit(scene.lines(2))
            let more = Array(scene.lines(4).suffix(2))
            switch provider {
            case .openai, .mock:
                // OpenAI accepts the batch, then fails it: no line ran, so every line is unanswered.
                let refused = try await scene.submit(more)
                let progress = try await scene.api.progress(of: refused.providerBatchID, model: scene.model)
                #expect(progress.ended && progress.providerState == "failed")
                let results = try await scene.results(refused.providerBatchID)
                #expect(results.count == 2)
                for line in more {
                    guard case .unanswered(let reason)? = results[line.customID] else {
                        Issue.record("\(line.customID): \(String(describing: results[line.customID]))")
                        continue
                    }
                    #expect(reason.contains("token_limit_exceeded"))
                }
            default:
                do {
                    _ = try await scene.submit(more)
                    Issue.record("a batch past the queue limit was accepted")
                } catch let failure as ProviderFailure {
                    #expect(failure.retryable && failure.throttled)
                    #expect(failure.status == 429)
                }
            }
            #expect(try await scene.counter("over_queue_limit") == 1)
        }
    }

    @Test func anthropicFindSkipsKnownBatchesAndOlderOnes() async throws {
        try await BatchScene.with(.anthropic) { scene in
            let before = Date().addingTimeInterval(-1)
            let first = try await scene.submit(scene.lines(2))
            let second = try await scene.submit(Array(scene.lines(4).suffix(2)))
            let newest = try await scene.api.find(tag: "", lineCount: 2, createdAfter: before, known: [], model: scene.model)
            #expect(newest == second.providerBatchID)
            let other = try await scene.api.find(tag: "", lineCount: 2, createdAfter: before, known: [second.providerBatchID], model: scene.model)
            #expect(other == first.providerBatchID)
            let none = try await scene.api.find(tag: "", lineCount: 3, createdAfter: before, known: [], model: scene.model)
            #expect(none == nil)
            let later = try await scene.api.find(tag: "", lineCount: 2, createdAfter: Date().addingTimeInterval(60), known: [], model: scene.model)
            #expect(later == nil)
        }
    }

    @Test func duplicatePaidLinesAreCounted() async throws {
        try await BatchScene.with(.openai) { scene in
            let lines = scene.lines(2)
            for _ in 0..<2 {
                let submission = try await scene.submit(lines)
                _ = try await scene.waitForEnd(submission.providerBatchID)
            }
            #expect(try await scene.counter("duplicate_paid_lines") == 2)
        }
    }

    /// The bytes one line adds to a request, measured by the cap itself.
    static func firstLineBytes(_ scene: BatchScene, _ lines: [BatchLine]) async throws -> Int {
        var low = 1
        var high = 64 << 20
        // The smallest cap that sends one line.
        while low < high {
            let mid = (low + high) / 2
            do {
                _ = try await scene.api.submit(
                    Array(lines.prefix(1)), model: scene.model, tag: "probe", maxBytes: mid, beforeCreate: { throw CancellationError() })
                high = mid
            } catch is CancellationError {
                high = mid
            } catch {
                low = mid + 1
            }
        }
        return low
    }
}

extension Result where Failure == ProviderFailure {
    /// The failure, or `nil` on success.
    var failure: ProviderFailure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
