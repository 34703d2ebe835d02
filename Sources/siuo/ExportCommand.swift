import ArgumentParser
import Coordinator
import Foundation
import Shared

/// `siuo export NAME --format siuo --out DIR`: each model's results in SIUO's own file format,
/// for the official evaluation code or any other tool.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write DIR/<model>/siuo_gen.json and siuo_mcqa.json with a sweep's responses and verdicts, and the official scripts' DIR/siuo_gen-<model>.json and DIR/siuo_mcqa-<model>.json.",
        discussion: SiuoExit.discussion())

    @Argument(help: "The sweep.") var name: String
    @Option(help: ArgumentHelp("The export format; only `siuo` for now.", valueName: "format")) var format: String
    @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String
    @OptionGroup var coordinator: CoordinatorOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard format == "siuo" else { throw ValidationError("--format must be siuo") }
    }

    func run() async throws {
        let export: SIUOExport
        if coordinator.coordinatorURL != nil {
            export = try await coordinator.adminClient(for: "export").export(name)
        } else {
            export = try await ReportStore(pool: try await database.open()).export(name)
        }
        let files = try SIUOExportWriter.write(export, to: out)
        print("wrote \(files.count) files for \(export.models.count) models to \(out)")
    }
}
