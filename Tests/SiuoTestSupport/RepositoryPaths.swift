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

    /// The folder holding both real SIUO files (`siuo_gen.json`, `siuo_mcqa.json`;
    /// they are licensed separately and never part of the repository), or `nil`
    /// when either is not there and the tests that need them skip
    /// (`@Test(.enabled(if: RepositoryPaths.realSIUO != nil, …))`):
    /// `$SIUO_REAL_DATA`, else a `shared/siuo` folder beside the repository
    /// (docs/operations.md, "Tests and the real SIUO files").
    public static var realSIUO: String? {
        let environment = ProcessInfo.processInfo.environment["SIUO_REAL_DATA"].flatMap { $0.isEmpty ? nil : $0 }
        let folder = environment ?? URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("shared/siuo").path
        let both = ["siuo_gen.json", "siuo_mcqa.json"].allSatisfy { FileManager.default.fileExists(atPath: folder + "/" + $0) }
        return both ? folder : nil
    }
}
