import Foundation
import Shared

/// The live view of a sweep: one bar per model and task with done/total,
/// rate per minute, ETA, retries, refusals/blocks, judge failures and tokens,
/// then the provider batches of batch models (`BatchStatusLines`).
/// Pure: it draws lines from statuses and the rates the caller measured.
enum ProgressView {
    static let kinds = JobKind.allCases.map(\.rawValue)

    /// The lines for `status`; `perMinute` holds each `model/kind`'s measured rate.
    static func lines(_ status: SweepStatus, perMinute: [String: Double], width: Int = 24) -> [String] {
        var lines = [
            "\(status.name): \(status.state.rawValue)  \(status.jobs.done + status.jobs.failed)/\(status.jobs.total) jobs finished"
                + (status.jobs.failed > 0 ? ", \(status.jobs.failed) failed" : "")
                + (status.jobs.leased > 0 ? ", \(status.jobs.leased) running" : "")
                + (status.jobs.batched > 0 ? ", \(status.jobs.batched) in batches" : "")
                + (status.budgetUSD.map { String(format: ", $%.2f of $%.2f", status.spentUSD, $0) } ?? "")
        ]
        let nameWidth = min(28, status.models.keys.map(\.count).max() ?? 5)
        for model in status.models.keys.sorted() {
            for kind in kinds {
                guard let counts = status.models[model]?[kind], counts.total > 0 else { continue }
                lines.append(
                    line(
                        model: model, nameWidth: nameWidth, kind: kind, counts: counts,
                        perMinute: perMinute["\(model)/\(kind)"] ?? 0, width: width))
            }
        }
        return lines + FailureStatusLines.lines(status.failures) + EndpointLimit.lines(status.limits) + BatchStatusLines.lines(status.batches)
    }

    static func line(model: String, nameWidth: Int, kind: String, counts: KindCounts, perMinute: Double, width: Int) -> String {
        let finished = counts.done + counts.failed
        // The counts come from two queries, so clamp rather than trust they agree.
        let fraction = counts.total == 0 ? 1 : min(1, max(0, Double(finished) / Double(counts.total)))
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var parts = [pad(model, nameWidth), pad(kind, 19), bar, "\(finished)/\(counts.total)".leftPadded(11)]
        parts.append(perMinute > 0 ? String(format: "%6.0f/min", perMinute) : "     -/min")
        parts.append("ETA " + eta(remaining: counts.total - finished, perMinute: perMinute))
        if counts.failed > 0 { parts.append("failed \(counts.failed)") }
        if counts.retries > 0 { parts.append("retries \(counts.retries)") }
        if counts.refusals > 0 { parts.append("refusals \(counts.refusals)") }
        if counts.blocked > 0 { parts.append("blocked \(counts.blocked)") }
        if counts.judgeFailures > 0 { parts.append("judge failures \(counts.judgeFailures)") }
        if counts.tokens > 0 { parts.append("tokens \(compact(counts.tokens))") }
        return parts.joined(separator: "  ")
    }

    static func eta(remaining: Int, perMinute: Double) -> String {
        if remaining <= 0 { return "done" }
        guard perMinute >= 0.01 else { return "--:--" }
        let seconds = Int(min(Double(remaining) / perMinute * 60, 359_999).rounded(.up))
        return seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    static func compact(_ count: Int) -> String {
        switch count {
        case ..<10_000: String(count)
        case ..<10_000_000: String(format: "%.1fk", Double(count) / 1000)
        default: String(format: "%.1fM", Double(count) / 1_000_000)
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}

/// Draws the live view on `output`: in place on a terminal, as plain periodic lines otherwise (logs,
/// CI), or not at all.
final class ProgressPrinter: @unchecked Sendable {
    private let inPlace: Bool
    private let silent: Bool
    private let output: FileHandle
    private let plainEvery: Duration
    private var drawnLines = 0
    private var lastPlain: ContinuousClock.Instant?
    private var history: [String: [(at: ContinuousClock.Instant, finished: Int)]] = [:]

    init(mode: ProgressOption.Mode = .auto, output: FileHandle = .standardOutput, plainEvery: Duration = .seconds(10)) {
        self.inPlace = mode == .live || (mode == .auto && isatty(output.fileDescriptor) == 1)
        self.silent = mode == .none
        self.output = output
        self.plainEvery = plainEvery
    }

    /// Records `status` and redraws (or prints, when a plain line is due; `force` prints anyway).
    func show(_ status: SweepStatus, force: Bool = false) {
        if silent { return }
        let now = ContinuousClock.now
        var rates: [String: Double] = [:]
        for (model, kinds) in status.models {
            for (kind, counts) in kinds {
                let key = "\(model)/\(kind)"
                var points = history[key, default: []].filter { now - $0.at <= .seconds(60) }
                points.append((now, counts.done + counts.failed))
                history[key] = points
                if let first = points.first, now - first.at >= .seconds(2) {
                    rates[key] = Double(points.last!.finished - first.finished) / ((now - first.at).seconds / 60)
                }
            }
        }
        let lines = ProgressView.lines(status, perMinute: rates)
        if inPlace {
            var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)F\u{1B}[J" : ""
            text += lines.joined(separator: "\n") + "\n"
            output.write(Data(text.utf8))
            drawnLines = lines.count
        } else if force || lastPlain.map({ now - $0 >= plainEvery }) ?? true {
            lastPlain = now
            output.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
