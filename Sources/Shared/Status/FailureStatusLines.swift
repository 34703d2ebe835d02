/// A sweep's failed jobs as short lines for `sweep status` and the live views: per model, how
/// many failed for good, then its most recent distinct errors with their counts. The errors
/// hold provider text, so each is made terminal-safe (`TerminalText`) and kept short.
public enum FailureStatusLines {
    /// The lines for `failures`; empty when no job failed. Each line is indented by `indent`.
    public static func lines(_ failures: [ModelFailures], indent: String = "  ") -> [String] {
        failures.filter { $0.failed > 0 }.flatMap { model in
            let listed = model.errors.reduce(0) { $0 + $1.count }
            var lines = ["\(indent)failed: \(TerminalText.safe(model.model)) \(model.failed) job\(model.failed == 1 ? "" : "s")"]
            lines += model.errors.map { error in
                "\(indent)  \(error.count)× \(ModelFailures.shortened(TerminalText.safe(error.message)))"
            }
            if listed < model.failed { lines.append("\(indent)  \(model.failed - listed) with other errors") }
            return lines
        }
    }
}
