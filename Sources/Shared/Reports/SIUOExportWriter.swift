import Foundation

/// Writes an export as `DIR/<model>/siuo_gen.json` and `DIR/<model>/siuo_mcqa.json`, and beside
/// them the official scripts' `DIR/siuo_gen-<model>.json` and `DIR/siuo_mcqa-<model>.json`
/// (`OfficialSIUOFiles`).
public enum SIUOExportWriter {
    /// Writes every model's files under `directory`, creating folders as needed, and returns the
    /// paths written. Each file is written to a temporary name beside it and renamed into place,
    /// so a reader (or a crash) never sees half a file.
    @discardableResult
    public static func write(_ export: SIUOExport, to directory: String) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var written: [String] = []
        for model in export.models.keys.sorted() {
            // Model labels keep the submit's name rule (`ResourceName`); refuse anything else (say, from
            // an older coordinator) before it names a folder, and `.`/`..`, which the rule lets through.
            guard ResourceName.problem(with: model) == nil, model != ".", model != ".." else {
                throw SIUOExportError.unsafeModelName(model)
            }
            let folder = URL(fileURLWithPath: directory).appendingPathComponent(model)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let files = export.models[model]!
            for (name, items) in [(SIUOModelFiles.FileName.generation, files.generation), (.mcqa, files.mcqa)] {
                let target = folder.appendingPathComponent(name.rawValue)
                try writeAtomically(try encoder.encode(items), to: target)
                written.append(target.path)
            }
            let root = URL(fileURLWithPath: directory)
            var official = [
                ("siuo_gen-\(model).json", OfficialSIUOFiles.generation(files.generation)),
                ("siuo_mcqa-\(model).json", OfficialSIUOFiles.mcqa(files.mcqa)),
            ]
            // Second-judge labels are model names (`A-Za-z0-9._-`); refuse anything else as a file name.
            if let second = OfficialSIUOFiles.secondJudge(files.generation), ResourceName.problem(with: second) == nil {
                official.append(("siuo_gen-\(model)-\(second).json", OfficialSIUOFiles.generation(files.generation, bySecondJudge: true)))
            }
            for (name, items) in official {
                let target = root.appendingPathComponent(name)
                try writeAtomically(try encoder.encode(items), to: target)
                written.append(target.path)
            }
        }
        return written
    }

    private static func writeAtomically(_ data: Data, to target: URL) throws {
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, target.path) != 0 {
                throw SIUOExportError.cannotWrite(target.path, String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// Why an export could not be written.
public enum SIUOExportError: Error, CustomStringConvertible, Equatable {
    /// A model label that is not a plain folder name.
    case unsafeModelName(String)
    /// A file could not be put in place.
    case cannotWrite(String, String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .unsafeModelName(let name): "model name \"\(TerminalText.safe(name))\" cannot be used as a folder name"
        case .cannotWrite(let path, let reason): "\(path): \(reason)"
        }
    }
}
