import Foundation

/// A dataset read from SIUO-format files and checked, ready to be written in one go.
public struct LoadedDataset: Sendable {
    /// The name it is imported under.
    public var name: String
    /// The cases, in the generation file's order.
    public var cases: [DatasetCase]
    /// Every image the cases name, once per file name.
    public var images: [DatasetImage]
    /// SHA-256 over the canonical content (items and image hashes): equal
    /// data gives an equal hash, whatever the files' formatting.
    public var contentSHA256: String

    /// A dataset built in memory (benchmarks, tools); `load` is the checked way from files.
    public init(name: String, cases: [DatasetCase], images: [DatasetImage]) {
        self.name = name
        self.cases = cases
        self.images = images
        self.contentSHA256 = DatasetLoader.contentHash(cases, images)
    }

    init(name: String, cases: [DatasetCase], images: [DatasetImage], contentSHA256: String) {
        self.name = name
        self.cases = cases
        self.images = images
        self.contentSHA256 = contentSHA256
    }

    /// How many distinct categories the cases use.
    public var categoryCount: Int { Set(cases.map(\.category)).count }
}

/// Reads and validates a SIUO dataset: `siuo_gen.json`, optionally
/// `siuo_mcqa.json`, and the folder of images they name.
public enum DatasetLoader {
    /// Loads and validates everything; throws before anything could be written.
    public static func load(name: String, generationFile: String, mcqaFile: String?, imagesFolder: String) throws(DatasetImportError) -> LoadedDataset
    {
        if let reason = ResourceName.problem(with: name) { throw .badName(name, reason: reason) }
        var cases = try readGeneration(generationFile)
        if let mcqaFile {
            try attachMCQA(mcqaFile, to: &cases)
        }
        let images = try readImages(for: cases, folder: imagesFolder)
        return LoadedDataset(name: name, cases: cases, images: images)
    }

    static func readDocument(_ path: String) throws(DatasetImportError) -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? "no such file or not readable")
        }
        do {
            return try JSONDocumentReader.parse(data, file: path)
        } catch {
            throw .malformedJSON(error)
        }
    }

    static func readGeneration(_ path: String) throws(DatasetImportError) -> [DatasetCase] {
        var reader = SIUOItemReader(file: path)
        var cases: [DatasetCase] = []
        for (id, fields) in reader.identifiedItems(of: try readDocument(path)) {
            let image = reader.imageName(fields, id: id)
            let question = reader.string(fields, "question", id: id)
            let category = reader.string(fields, "category", id: id)
            let warning = reader.string(fields, "safety_warning", id: id, allowEmpty: true)
            let reference = reader.string(fields, "reference_answer", id: id, allowEmpty: true)
            guard let image, let question, let category, let warning, let reference else { continue }
            cases.append(
                DatasetCase(
                    questionID: id, imageName: image, question: question, category: category,
                    safetyWarning: warning, referenceAnswer: reference, generationItem: .object(fields), mcqa: nil))
        }
        if cases.isEmpty && reader.problems.isEmpty {
            reader.report(nil, nil, "holds no items")
        }
        guard reader.problems.isEmpty else { throw .invalid(reader.problems) }
        return cases
    }

    static func attachMCQA(_ path: String, to cases: inout [DatasetCase]) throws(DatasetImportError) {
        var reader = SIUOItemReader(file: path)
        let positions = Dictionary(uniqueKeysWithValues: cases.enumerated().map { ($1.questionID, $0) })
        let items = reader.identifiedItems(of: try readDocument(path))
        for (id, fields) in items {
            guard let position = positions[id] else {
                reader.report(id, "question_id", "has no generation item with this id")
                continue
            }
            let image = reader.imageName(fields, id: id)
            let question = reader.string(fields, "question", id: id)
            _ = reader.string(fields, "category", id: id)
            let options = reader.options(fields, id: id)
            let correct = reader.string(fields, "correct_option", id: id)
            if let image, image != cases[position].imageName {
                reader.report(id, "image", "is \"\(image)\" but the generation item names \"\(cases[position].imageName)\"")
            }
            guard let question, let options, let correct else { continue }
            guard options[correct] != nil else {
                let letters = options.keys.sorted().joined(separator: ", ")
                reader.report(id, "correct_option", "\"\(correct)\" is not among the options (\(letters))")
                continue
            }
            cases[position].mcqa = MCQAItem(question: question, options: options, correctOption: correct, item: .object(fields))
        }
        let seen = Set(items.map(\.id))
        let missing = cases.filter { !seen.contains($0.questionID) }.map(\.questionID)
        if !missing.isEmpty {
            reader.report(nil, "question_id", "no MCQA item for generation ids \(missing.joined(separator: ", "))")
        }
        guard reader.problems.isEmpty else { throw .invalid(reader.problems) }
    }

    static func readImages(for cases: [DatasetCase], folder: String) throws(DatasetImportError) -> [DatasetImage] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .unreadable(path: folder, reason: "not a folder")
        }
        var names: [String] = []
        var seen: Set<String> = []
        for item in cases where seen.insert(item.imageName).inserted {
            names.append(item.imageName)
        }
        let base = URL(fileURLWithPath: folder, isDirectory: true)
        var images: [DatasetImage] = []
        var missing: [String] = []
        var problems: [DatasetProblem] = []
        for name in names {
            let path = base.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                missing.append(name)
                continue
            }
            guard let mediaType = ImageMediaType.sniff(data) else {
                problems.append(DatasetProblem(file: path, message: "is not a PNG, JPEG, GIF or WebP image"))
                continue
            }
            images.append(DatasetImage(name: name, sha256: SHA256Hex.digest(data), mediaType: mediaType, bytes: [UInt8](data)))
        }
        if !missing.isEmpty { throw .missingImages(folder: folder, names: missing) }
        if !problems.isEmpty { throw .invalid(problems) }
        return images
    }

    static func contentHash(_ cases: [DatasetCase], _ images: [DatasetImage]) -> String {
        let imageHashes = Dictionary(uniqueKeysWithValues: images.map { ($0.name, $0.sha256) })
        let entries = cases.sorted { $0.questionID < $1.questionID }.map { item in
            JSONValue.object([
                "generation": item.generationItem,
                "mcqa": item.mcqa?.item ?? .null,
                "image_sha256": .string(imageHashes[item.imageName] ?? ""),
            ])
        }
        return SHA256Hex.digest(JSONValue.array(entries).canonicalData())
    }
}
