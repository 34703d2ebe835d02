import ArgumentParser

/// `--request-timeout` of `siuo worker` and `siuo run`: how long one provider
/// request may take (a reasoning model's long answer may need more than the default).
struct RequestTimeoutOption: ParsableArguments {
    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds one provider request may take.", valueName: "seconds"))
    var seconds = 180.0

    func validate() throws {
        guard seconds > 0, seconds.isFinite, seconds <= 86_400 else {
            throw ValidationError("--request-timeout must be a positive number of seconds (a day at most), got \(seconds)")
        }
    }
}
