import ArgumentParser
import Coordinator
import Foundation
import Shared

/// `siuo report NAME`: a sweep's scores as a table, JSON, CSV, Markdown or one HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print or write a sweep's report (partial while the sweep runs).")

    @Argument(help: "The sweep.") var name: String
    @Option(help: ArgumentHelp("table, json, csv, markdown or html.", valueName: "format")) var format = "table"
    @Option(help: ArgumentHelp("Write the report to this file instead of printing it.", valueName: "file")) var out: String?
    @OptionGroup var coordinator: CoordinatorOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard ReportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let report: SweepReport
        if coordinator.coordinatorURL != nil {
            report = try await coordinator.adminClient(for: "report").report(name)
        } else {
            // No coordinator named: read the database directly (docs/operations.md, "Commands").
            report = try await ReportStore(pool: try await database.open()).report(name)
        }
        let text = try ReportFormat(rawValue: format)!.render(report)
        guard let out else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError("\(out): cannot write the report (\(error.localizedDescription))")
        }
        print("wrote \(out)")
    }
}
