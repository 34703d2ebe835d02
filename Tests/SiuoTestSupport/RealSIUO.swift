import Foundation
import Shared

/// The real SIUO files (`RepositoryPaths.realSIUO`) with a generated image for
/// every name they use (the real images are not shipped).
public enum RealSIUO {
    /// Why the real dataset could not be loaded.
    public struct Unreadable: Error, CustomStringConvertible {
        /// What was missing or malformed.
        public var description: String
    }

    /// Loads the real dataset; images are `side`×`side` generated PNGs. Tests calling it
    /// are enabled only when `RepositoryPaths.realSIUO` is set, so missing files throw.
    public static func loadWithGeneratedImages(side: Int = 4) throws -> LoadedDataset {
        guard let folder = RepositoryPaths.realSIUO else {
            throw Unreadable(description: "the real SIUO files are not there (RepositoryPaths.realSIUO is nil)")
        }
        let file = folder + "/siuo_gen.json"
        guard let generation = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]] else {
            throw Unreadable(description: "\(file) is not an array of objects")
        }
        let images = try TemporaryFolder()
        defer { images.remove() }
        for (index, item) in generation.enumerated() {
            guard let name = item["image"] as? String else {
                throw Unreadable(description: "item \(index) of \(file) has no \"image\" string")
            }
            try images.write(name, bytes: PNGWriter.image(width: side, height: side, seed: UInt64(index)))
        }
        return try DatasetLoader.load(
            name: "siuo", generationFile: file,
            mcqaFile: folder + "/siuo_mcqa.json", imagesFolder: images.path)
    }
}
