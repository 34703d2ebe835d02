import ArgumentParser
import Coordinator
import Foundation
import Shared

/// `siuo labels export|import NAME`: people's labels on a sweep's responses as CSV or JSON files
/// (docs/operations.md, "Human labels").
struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "Export or import people's labels on a sweep's responses (CSV or JSON).",
        subcommands: [LabelsExportCommand.self, LabelsImportCommand.self])
}

/// Where labels are read and written: a coordinator (with the admin or a reviewer token) or the database.
struct LabelsTarget: ParsableArguments {
    @OptionGroup var coordinator: CoordinatorOptions
    @Option(
        name: .customLong("reviewer-token-file"),
        help: ArgumentHelp("File holding a reviewer token, used when no admin token is given (default: $SIUO_REVIEWER_TOKEN).", valueName: "file"))
    var reviewerTokenFile: String?
    @OptionGroup var database: DatabaseOptions

    /// A client on the coordinator, or `nil` to use the database directly.
    func client(for command: String) throws -> CoordinatorClient? {
        guard let url = coordinator.coordinatorURL else { return nil }
        if let token = try TokenSource.read(file: coordinator.adminTokenFile, environment: "SIUO_ADMIN_TOKEN") {
            return CoordinatorClient(baseURL: url, token: token)
        }
        guard let token = try TokenSource.read(file: reviewerTokenFile, environment: "SIUO_REVIEWER_TOKEN") else {
            throw ValidationError(
                "\(command) needs the admin or a reviewer token: set SIUO_ADMIN_TOKEN or SIUO_REVIEWER_TOKEN, or pass --admin-token-file "
                    + "or --reviewer-token-file")
        }
        return CoordinatorClient(baseURL: url, token: token)
    }
}

/// The format named by `--format`, else by the file's extension.
func labelFileFormat(_ format: String?, file: String?) throws -> LabelFileFormat {
    if let format {
        guard let chosen = LabelFileFormat(rawValue: format) else { throw ValidationError("--format must be csv or json") }
        return chosen
    }
    guard let file, let named = LabelFileFormat(fileExtensionOf: file) else {
        throw ValidationError("pass --format csv|json" + (file.map { " (the extension of \($0) names no format)" } ?? ""))
    }
    return named
}

/// `siuo labels export NAME --format csv|json [--out FILE]`.
struct LabelsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print or write a sweep's labels as CSV or JSON.", discussion: SiuoExit.discussion())

    @Argument(help: "The sweep.") var name: String
    @Option(help: ArgumentHelp("csv or json (default: from the --out file's extension).", valueName: "format")) var format: String?
    @Option(help: ArgumentHelp("Write to this file instead of printing.", valueName: "file")) var out: String?
    @OptionGroup var target: LabelsTarget

    func validate() throws {
        _ = try labelFileFormat(format, file: out)
    }

    func run() async throws {
        let labels: [HumanLabel]
        if let client = try target.client(for: "labels export") {
            labels = try await client.labels(name)
        } else {
            labels = try await LabelStore(pool: try await target.database.open()).labels(name)
        }
        let bytes = try labelFileFormat(format, file: out).encode(labels)
        guard let out else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw RunError("\(out): cannot write the labels (\(error.localizedDescription))")
        }
        print("wrote \(labels.count) labels to \(out)")
    }
}

/// `siuo labels import NAME --format csv|json FILE`: all or none.
struct LabelsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write labels from a CSV or JSON file into a sweep, all or none.",
        discussion: "Responses are named by model, question_id and sample_index where those are given (so a file moves between "
            + "databases), else by response_id. A label with neither safe nor effectiveness removes that reviewer's label. "
            + SiuoExit.discussion())

    @Argument(help: "The sweep.") var name: String
    @Argument(help: "The labels file.") var file: String
    @Option(help: ArgumentHelp("csv or json (default: from the file's extension).", valueName: "format")) var format: String?
    @OptionGroup var target: LabelsTarget

    func validate() throws {
        _ = try labelFileFormat(format, file: file)
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw LabelFileError(file: file, problem: "cannot be read") }
        let read = try labelFileFormat(format, file: file).decode(Array(data), file: file)
        let labels = read.map { entry in
            var label = entry.label
            if label.model != nil, label.questionID != nil, label.sampleIndex != nil { label.responseID = nil }
            return label
        }
        let written: Int
        do {
            if let client = try target.client(for: "labels import") {
                written = try await client.writeLabels(labels, sweep: name)
            } else {
                written = try await LabelStore(pool: try await target.database.open()).write(labels, sweep: name)
            }
        } catch let error as LabelError {
            throw located(error.description, read.map(\.line))
        } catch let error as CoordinatorClientError where error.status == 400 {
            throw located(error.message, read.map(\.line))
        }
        print("wrote \(written) labels from \(file) into sweep \(name)")
    }

    /// The store's `labels[i]…: problem` as `FILE:LINE: …: problem` (CSV) or `FILE: labels[i]…` (JSON).
    private func located(_ message: String, _ lines: [Int?]) -> LabelFileError {
        guard message.hasPrefix("labels["), let close = message.firstIndex(of: "]"),
            let index = Int(message[message.index(message.startIndex, offsetBy: 7)..<close]), lines.indices.contains(index),
            let line = lines[index]
        else { return LabelFileError(file: file, problem: message) }
        var rest = message[message.index(after: close)...]
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        if rest.hasPrefix(":") { return LabelFileError(file: file, line: line, problem: rest.dropFirst().trimmingCharacters(in: .whitespaces)) }
        let field = rest.prefix { $0 != ":" }
        return LabelFileError(
            file: file, line: line, field: String(field), problem: rest.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces))
    }
}
