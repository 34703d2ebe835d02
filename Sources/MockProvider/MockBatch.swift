import Foundation
import Shared

/// One request of a batch as the mock received it.
struct MockBatchLine: Sendable {
    /// `custom_id` (Gemini: `metadata.key`).
    var customID: String
    /// The live request body the line carries.
    var body: [UInt8]
    /// The sample index read from the custom id (`j<job>-s<n>`), as the live route reads `X-Siuo-Sample`.
    var sample: Int

    /// `n` of `j<job>-s<n>`; any other id is sample 0.
    static func sample(of customID: String) -> Int {
        guard let mark = customID.range(of: "-s", options: .backwards) else { return 0 }
        return max(0, Int(customID[mark.upperBound...]) ?? 0)
    }
}

/// How an ended batch's line came out.
enum MockLineResult: Sendable {
    /// Answered: the live route's reply, or an injected line error.
    case reply(MockReply, injected: Bool)
    /// Never answered: the batch expired or was cancelled first.
    case unanswered(MockBatchEnd)
}

/// How a batch ended.
enum MockBatchEnd: String, Sendable {
    case completed, expired, cancelled
    /// Refused over the model's queue limit (OpenAI only: the others refuse at creation).
    case failed
}

/// One batch in the mock's memory.
struct MockBatch: Sendable {
    var id: String
    var format: MockWireFormat
    /// The model its lines name (OpenAI and Anthropic: the first line's; Gemini: the path's).
    var model: String
    /// Gemini's path model, which its line bodies do not name.
    var pathModel: String?
    /// OpenAI `metadata`.
    var metadata: JSONValue = .null
    /// Gemini `displayName`.
    var displayName: String?
    /// Why the batch failed at once (over the queue limit).
    var failure: String?
    /// OpenAI's input file.
    var inputFileID: String?
    var created: Date
    var delay: Double
    var expiry: MockBatchExpiry
    var lines: [MockBatchLine]
    /// Custom ids whose line errors (their first time at the mock).
    var erroring: Set<String>
    var cancelRequested: Date?
    /// Set once the batch has ended and its lines are settled.
    var end: MockBatchEnd?
    var endedAt: Date?
    /// Every line's result once ended, in line order.
    var results: [(customID: String, result: MockLineResult)] = []
    /// OpenAI's output and error files, once ended.
    var outputFileID: String?
    var errorFileID: String?

    /// When the batch ends unless cancelled first.
    var plannedEnd: Date { created.addingTimeInterval(delay) }

    /// When it ends, a cancel counted.
    var endTime: Date { cancelRequested.map { min($0, plannedEnd) } ?? plannedEnd }

    /// Lines that can be answered at all (an expiring batch answers none or half).
    var answerable: Int {
        switch expiry {
        case .none: lines.count
        case .unanswered: 0
        case .half: lines.count / 2
        }
    }

    /// Line `index` is answered this long after creation (lines are spread over the delay).
    func answerTime(_ index: Int) -> Date {
        created.addingTimeInterval(delay * Double(index + 1) / Double(max(1, lines.count)))
    }

    /// How many lines are answered at `now`, and of those how many errored.
    func answered(at now: Date) -> (done: Int, failed: Int) {
        if end != nil {
            var done = 0
            var failed = 0
            for (_, result) in results {
                guard case .reply(let reply, let injected) = result else { continue }
                done += 1
                if injected || !(200...299).contains(Int(reply.status.code)) { failed += 1 }
            }
            return (done, failed)
        }
        let cutoff = min(now, endTime)
        let done = (0..<answerable).prefix { answerTime($0) <= cutoff }.count
        let failed = lines.prefix(done).filter { erroring.contains($0.customID) }.count
        return (done, failed)
    }

    /// Whether the batch is still running at `now`.
    func running(at now: Date) -> Bool {
        end == nil && now < endTime
    }
}
