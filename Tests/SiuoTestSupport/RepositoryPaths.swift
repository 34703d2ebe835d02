import Foundation

/// Files of the repository and beside it that tests read.
public enum RepositoryPaths {
    /// The repository's root folder.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The sample dataset shipped in `examples/siuo-sample`.
    public static var sampleDataset: String { root + "/examples/siuo-sample" }

    /// The real SIUO files in `../shared/siuo`, or `nil` when they are not there
    /// (tests that need them skip).
    public static var realSIUO: String? {
        let folder = URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("shared/siuo").path
        return FileManager.default.fileExists(atPath: folder + "/siuo_gen.json") ? folder : nil
    }
}
