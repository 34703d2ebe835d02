/// A sweep's provider batches as short lines for `sweep status` and the live views: one line per batch
/// (model, provider batch id, the provider's word for its state, lines done/total, age), at most a few,
/// under a line that counts them all.
public enum BatchStatusLines {
    /// Batches shown by default; the rest are counted.
    public static let defaultLimit = 5

    /// The lines for `batches` (oldest first, as `SweepStatus.batches`); empty when there are none.
    /// Open batches (not yet collected) are shown before collected ones, newest first within each, then
    /// listed oldest first; each line is indented by `indent`.
    public static func lines(_ batches: [BatchSummary], limit: Int = defaultLimit, indent: String = "  ") -> [String] {
        guard !batches.isEmpty else { return [] }
        let open = batches.filter { $0.state != .collected }
        let chosen = Array((open.reversed() + batches.reversed().filter { $0.state == .collected }).prefix(max(0, limit)))
        let shown = batches.filter { batch in chosen.contains { $0.id == batch.id } }
        var header = "batches: \(batches.count) (\(open.count) open)"
        if shown.count < batches.count { header += ", \(shown.count) shown" }
        let modelWidth = min(28, shown.map(\.model.count).max() ?? 0)
        let idWidth = min(48, shown.map { identifier($0).count }.max() ?? 0)
        let stateWidth = min(28, shown.map { word($0).count }.max() ?? 0)
        return [indent + header]
            + shown.map { batch in
                var parts = [pad(batch.model, modelWidth), pad(identifier(batch), idWidth), pad(word(batch), stateWidth)]
                parts.append("\(batch.linesDone)/\(batch.linesTotal) lines" + (batch.linesFailed > 0 ? ", \(batch.linesFailed) failed" : ""))
                parts.append("age " + DurationText.format(seconds: batch.ageSeconds))
                return indent + "  " + parts.joined(separator: "  ")
            }
    }

    /// The provider's id, or a note while the coordinator has none yet (provider text: made terminal-safe).
    private static func identifier(_ batch: BatchSummary) -> String {
        batch.providerBatchID.map(TerminalText.safe) ?? "(not submitted yet)"
    }

    /// The provider's own word for the state, else the coordinator's (provider text: made terminal-safe).
    private static func word(_ batch: BatchSummary) -> String {
        batch.providerState.map(TerminalText.safe) ?? batch.state.rawValue
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
