import Coordinator
import Foundation
import Shared

/// `siuo run` imports the dataset files a sweep names the first time; the
/// same data again is a no-op, different data under the name is refused.
enum DatasetPreparer {
    static func ensureImported(_ reference: DatasetReference, pool: PostgresPool) async throws {
        guard let generation = reference.generationFile else { return }
        guard let images = reference.imagesFolder else {
            throw RunError("dataset.gen is given but dataset.images is not: name the images folder")
        }
        let dataset = try DatasetLoader.load(name: reference.name, generationFile: generation, mcqaFile: reference.mcqaFile, imagesFolder: images)
        do {
            switch try await DatasetStore(pool: pool).importDataset(dataset, replace: false) {
            case .unchanged: break
            default: Console.line("imported dataset \(reference.name): \(dataset.cases.count) cases, \(dataset.images.count) images")
            }
        } catch DatasetStoreError.differentDataExists(let name) {
            throw RunError("dataset \(name) is already imported with different data; run `siuo dataset import \(name) … --replace` or rename it")
        }
    }
}

/// A one-line reason `siuo run` stops.
struct RunError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
