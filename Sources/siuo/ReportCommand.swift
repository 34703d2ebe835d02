import ArgumentParser
import Coordinator
import Foundation
import Shared

/// `siuo report NAME`: a sweep's scores as a table, JSON, CSV, Markdown or one HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print or write a sweep's report (partial while the sweep runs).", discussion: SiuoExit.discussion())

    @Argument(help: "The sweep.") var name: String
    @Option(
        help: ArgumentHelp(
            "table, json, csv, markdown or html (default: from the --out file's extension, else table).", valueName: "format"))
    var format: String?
    @Option(
        help: ArgumentHelp(
            "Write the report to this file instead of printing it; without --format its extension names the format "
                + "(.json, .csv, .md/.markdown, .html/.htm, .txt for the table).", valueName: "file"))
    var out: String?
    @OptionGroup var coordinator: CoordinatorOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        _ = try reportFormat()
    }

    /// `--format` when given, else what `--out`'s extension names, else the table.
    /// An `--out` whose extension names no format, without `--format`, is bad input (exit 2).
    func reportFormat() throws -> ReportFormat {
        if let format {
            guard let chosen = ReportFormat(rawValue: format) else {
                throw ValidationError("--format must be one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return chosen
        }
        guard let out else { return .table }
        guard let named = ReportFormat(fileExtensionOf: out) else {
            let known = ReportFormat.allCases.flatMap(\.fileExtensions).map { "." + $0 }.joined(separator: ", ")
            throw ValidationError("--out \(out): its extension names no report format (\(known)); pass --format")
        }
        return named
    }

    func run() async throws {
        let report: SweepReport
        if coordinator.coordinatorURL != nil {
            report = try await coordinator.adminClient(for: "report").report(name)
        } else {
            // No coordinator named: read the database directly (docs/operations.md, "Commands").
            report = try await ReportStore(pool: try await database.open()).report(name)
        }
        let text = try reportFormat().render(report)
        guard let out else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw RunError("\(out): cannot write the report (\(error.localizedDescription))")
        }
        print("wrote \(out)")
    }
}
