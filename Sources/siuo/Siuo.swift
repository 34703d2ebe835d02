import ArgumentParser
import Shared

/// The `siuo` command: every part of siuo-sweep behind one executable.
@main
struct Siuo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siuo",
        abstract: "Run the SIUO cross-modality safety benchmark against many vision-language models.",
        version: SiuoVersion.current,
        subcommands: [DatabaseCommand.self, DatasetCommand.self, SweepCommand.self, CoordinatorCommand.self, WorkerCommand.self,
                      ReportCommand.self, ExportCommand.self, MockProviderCommand.self, BenchCommand.self]
    )
}
