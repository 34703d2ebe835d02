import ArgumentParser
import Shared

/// The `siuo` command: every part of siuo-sweep behind one executable.
@main
struct Siuo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siuo",
        abstract: "Run the SIUO cross-modality safety benchmark against many vision-language models.",
        discussion: SiuoExit.discussion(SiuoExit.allCases),
        version: SiuoVersion.current,
        subcommands: [
            RunCommand.self, DatabaseCommand.self, DatasetCommand.self, SweepCommand.self, ReportCommand.self, ExportCommand.self, LabelsCommand.self,
            CoordinatorCommand.self, WorkerCommand.self, MockProviderCommand.self, BenchCommand.self, ViewCommand.self,
        ]
    )

    /// ArgumentParser's entry point, with `SiuoExit` deciding the exit status.
    static func main() async {
        // A coordinator's or worker's sockets pass the usual soft limit of 1,024 in normal use.
        OpenFileLimit.raiseToHardLimit()
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            SiuoExit.terminate(with: error)
        }
    }
}
