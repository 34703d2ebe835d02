import ArgumentParser
import Coordinator
import Foundation
import Shared

/// `siuo dataset …`: import SIUO-format data and list what is imported.
struct DatasetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Import and list datasets.",
        subcommands: [Import.self, List.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import SIUO's siuo_gen.json (+ siuo_mcqa.json) and its images, in one transaction.", discussion: SiuoExit.discussion())

        @Argument(help: "Name to import under (1–64 of A-Za-z0-9._-).") var name: String
        @Option(help: ArgumentHelp("The generation items (siuo_gen.json).", valueName: "file")) var gen: String
        @Option(help: ArgumentHelp("The multiple-choice items (siuo_mcqa.json).", valueName: "file")) var mcqa: String?
        @Option(help: ArgumentHelp("The folder holding the images the items name.", valueName: "dir")) var images: String
        @Flag(help: "Replace a dataset of this name that holds different data.") var replace = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let started = ContinuousClock.now
            // Everything is read and checked before the database is touched.
            let dataset = try DatasetLoader.load(name: name, generationFile: gen, mcqaFile: mcqa, imagesFolder: images)
            let pool = try await database.open()
            let outcome = try await DatasetStore(pool: pool).importDataset(dataset, replace: replace)
            let elapsed = ContinuousClock.now - started
            let megabytes = Double(dataset.images.reduce(0) { $0 + $1.bytes.count }) / 1_048_576
            let summary = "\(dataset.cases.count) cases, \(dataset.categoryCount) categories, \(dataset.images.count) images"
            switch outcome {
            case .unchanged:
                print("dataset \(name) is already imported with identical data; nothing to do")
            case .imported, .replaced:
                let verb = outcome == .imported ? "imported" : "replaced"
                print(
                    "\(verb) dataset \(name): \(summary) (\(String(format: "%.1f", megabytes)) MB) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds])))"
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List imported datasets.", discussion: SiuoExit.discussion())
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let datasets = try await DatasetStore(pool: try await database.open()).list()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(datasets.isEmpty ? "[]" : String(decoding: try encoder.encode(datasets), as: UTF8.self))
                return
            }
            guard !datasets.isEmpty else {
                print("no datasets; import one with `siuo dataset import NAME --gen FILE --mcqa FILE --images DIR`")
                return
            }
            let rows =
                [["NAME", "CASES", "CATEGORIES", "IMAGES", "IMPORTED"]]
                + datasets.map { [$0.name, String($0.cases), String($0.categories), String($0.images), $0.importedAt] }
            let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
        }
    }
}
