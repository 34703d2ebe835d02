import ArgumentParser

/// `--progress`: how `siuo run` shows its live view on stderr, which keeps stdout for the leaderboard.
struct ProgressOption: ParsableArguments {
    /// How progress is shown.
    enum Mode: String, CaseIterable, ExpressibleByArgument {
        /// In place on a terminal, plain lines every 10 s otherwise.
        case auto
        /// Redrawn in place.
        case live
        /// Plain lines every 10 s (logs, CI).
        case plain
        /// Not at all.
        case none
    }

    @Option(name: .customLong("progress"), help: ArgumentHelp("auto, live, plain or none; shown on stderr.", valueName: "mode"))
    var mode: Mode = .auto
}
