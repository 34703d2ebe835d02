import Foundation
import Shared

/// The real SIUO files (`RepositoryPaths.realSIUO`) with a generated image for
/// every name they use (the real images are not shipped).
public enum RealSIUO {
    /// Loads the real dataset, or returns `nil` when the files are not there
    /// (the caller skips). Images are `side`×`side` generated PNGs.
    public static func loadWithGeneratedImages(side: Int = 4) throws -> LoadedDataset? {
        guard let folder = RepositoryPaths.realSIUO else { return nil }
        let generation = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/siuo_gen.json"))) as! [[String: Any]]
        let images = try TemporaryFolder()
        defer { images.remove() }
        for (index, item) in generation.enumerated() {
            try images.write(item["image"] as! String, bytes: PNGWriter.image(width: side, height: side, seed: UInt64(index)))
        }
        return try DatasetLoader.load(
            name: "siuo", generationFile: folder + "/siuo_gen.json",
            mcqaFile: folder + "/siuo_mcqa.json", imagesFolder: images.path)
    }
}
