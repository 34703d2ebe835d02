import Foundation
import Shared
import Testing

/// The batches of a sweep as `sweep status` and the live views show them.
@Suite struct BatchStatusLinesTests {
    private func batch(
        _ id: Int64, _ model: String, provider: String?, state: BatchState, word: String?, done: Int, failed: Int = 0, total: Int, age: Double
    ) -> BatchSummary {
        BatchSummary(
            id: id, model: model, providerBatchID: provider, state: state, providerState: word, linesDone: done, linesFailed: failed,
            linesTotal: total, ageSeconds: age)
    }

    @Test func aLiveSweepShowsNoBatchLines() {
        #expect(BatchStatusLines.lines([]).isEmpty)
    }

    @Test func eachBatchIsOneLineWithModelIdStateLinesAndAge() {
        let lines = BatchStatusLines.lines([
            batch(1, "gpt-4o", provider: "batch_abc123", state: .running, word: "in_progress", done: 1200, failed: 3, total: 5000, age: 725),
            batch(2, "claude", provider: "msgbatch_01", state: .ended, word: "ended", done: 80, total: 80, age: 3725),
            batch(3, "gemini", provider: nil, state: .submitting, word: nil, done: 0, total: 40, age: 2),
        ])
        #expect(
            lines == [
                "  batches: 3 (3 open)",
                "    gpt-4o  batch_abc123         in_progress  1200/5000 lines, 3 failed  age 12m05s",
                "    claude  msgbatch_01          ended        80/80 lines  age 1h02m",
                "    gemini  (not submitted yet)  submitting   0/40 lines  age 2s",
            ])
    }

    @Test func manyBatchesShowTheOpenOnesAndTheNewestAndCountTheRest() {
        var batches = (1...20).map { index in
            batch(
                Int64(index), "gpt-4o", provider: "batch_\(index)", state: .collected, word: "completed", done: 10, total: 10,
                age: Double(10_000 - index * 100))
        }
        // An old batch still running is shown even though it is not among the newest.
        batches[2] = batch(3, "gpt-4o", provider: "batch_3", state: .running, word: "in_progress", done: 4, total: 10, age: 9700)
        let lines = BatchStatusLines.lines(batches, limit: 4, indent: "")
        #expect(lines.count == 5)
        #expect(lines[0] == "batches: 20 (1 open), 4 shown")
        #expect(
            lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] } == ["batch_3", "batch_18", "batch_19", "batch_20"])
        #expect(lines[1].contains("in_progress") && lines[1].contains("4/10 lines"))
    }

    @Test func statusJSONCarriesBatchesAndBatchedJobs() throws {
        let status = SweepStatus(
            name: "s", state: .running, jobs: JobCounts(total: 10, queued: 2, batched: 8), models: [:],
            batches: [batch(1, "gpt-4o", provider: "batch_1", state: .running, word: "in_progress", done: 2, total: 8, age: 30)])
        let text = String(decoding: try WireCoding.encoder().encode(status), as: UTF8.self)
        #expect(text.contains("\"batched\":8") && text.contains("\"provider_batch_id\":\"batch_1\"") && text.contains("\"lines_total\":8"))
        #expect(try WireCoding.decoder().decode(SweepStatus.self, from: Data(text.utf8)) == status)
    }
}
