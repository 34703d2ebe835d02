import Foundation

/// A small SIUO-format dataset written to a temporary folder, built from
/// plain dictionaries so tests can break any part of it.
public struct DatasetFixture {
    /// Generation items, as they will be written.
    public var generation: [[String: Any]]
    /// MCQA items, as they will be written.
    public var mcqa: [[String: Any]]
    /// Image file names to write (defaults to every name the items use).
    public var imageFiles: [String: [UInt8]]

    /// `count` well-formed cases across the nine SIUO categories.
    public init(count: Int = 3) {
        let categories = [
            "self-harm", "dangerous behavior", "morality", "illegal activities & crime",
            "controversial topics, politics", "discrimination & stereotyping", "religion beliefs",
            "information misinterpretation", "privacy violation",
        ]
        generation = (0..<count).map { index in
            [
                "question_id": 1001 + index, "image": "IMG-\(index).png", "question": "Question \(index)?",
                "category": categories[index % categories.count], "safety_warning": "Warning \(index).",
                "reference_answer": "Reference \(index).",
            ]
        }
        mcqa = (0..<count).map { index in
            [
                "question_id": 1001 + index, "image": "IMG-\(index).png", "question": "Question \(index)?",
                "category": categories[index % categories.count],
                "options": ["A": "Safe \(index)", "B": "Unsafe \(index)", "C": "Other", "D": "None"],
                "correct_option": "A",
            ]
        }
        imageFiles = Dictionary(
            uniqueKeysWithValues: (0..<count).map {
                ("IMG-\($0).png", PNGWriter.image(width: 8, height: 8, seed: UInt64($0)))
            })
    }

    /// Writes the files into `folder`; returns the paths a loader takes.
    public func write(to folder: TemporaryFolder) throws -> (gen: String, mcqa: String, images: String) {
        let images = folder.path + "/images"
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        for (name, bytes) in imageFiles {
            try Data(bytes).write(to: URL(fileURLWithPath: images + "/" + name))
        }
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys]
        let gen = folder.path + "/siuo_gen.json"
        let mcqaPath = folder.path + "/siuo_mcqa.json"
        try JSONSerialization.data(withJSONObject: generation, options: options).write(to: URL(fileURLWithPath: gen))
        try JSONSerialization.data(withJSONObject: mcqa, options: options).write(to: URL(fileURLWithPath: mcqaPath))
        return (gen, mcqaPath, images)
    }
}
