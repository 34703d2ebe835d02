import ArgumentParser
import Shared

/// `--limit N` of `siuo run` and `siuo sweep submit`: a cheap trial over the
/// first N cases, which a later run without it extends to every case.
struct CaseLimitOption: ParsableArguments {
    @Option(
        name: .customLong("limit"),
        help: ArgumentHelp(
            "Only the first N cases, in dataset order (the generation file's order) after the category filter: a trial. "
                + "Running again without --limit (or with a larger one) extends the same sweep, keeping what was answered; "
                + "a smaller one removes nothing.",
            valueName: "N"))
    var value: Int?

    func validate() throws {
        if let problem = SweepSubmission.problem(withLimit: value) { throw ValidationError("--limit \(problem)") }
    }

    /// " (first N cases)" for messages, or nothing without a limit.
    static func note(_ limit: Int?) -> String {
        limit.map { " (first \($0) cases)" } ?? ""
    }
}
