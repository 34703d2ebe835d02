import ArgumentParser

/// `siuo bench …`: benchmarks that print figures (never timed tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures.",
        discussion: SiuoExit.discussion(),
        subcommands: [CoordinatorBench.self, WorkerBench.self, SweepBench.self, BatchBench.self]
    )
}
