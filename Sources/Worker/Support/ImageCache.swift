import Foundation
import Shared

/// Case images by content hash, fetched from the coordinator once each and
/// kept within a byte budget (least recently used go first). Concurrent
/// requests for one image share one download.
public actor ImageCache {
    private let fetch: @Sendable (String) async throws -> [UInt8]
    private let budget: Int
    private var images: [String: [UInt8]] = [:]
    private var order: [String] = []
    private var bytes = 0
    private var downloads: [String: Task<[UInt8], any Error>] = [:]

    /// A cache that downloads with `fetch` and holds up to `budgetBytes`.
    public init(budgetBytes: Int = 512 << 20, fetch: @escaping @Sendable (String) async throws -> [UInt8]) {
        self.fetch = fetch
        self.budget = budgetBytes
    }

    /// The image with this sha256, checked against its hash.
    public func image(sha256: String) async throws -> [UInt8] {
        if let image = images[sha256] {
            touch(sha256)
            return image
        }
        let download =
            downloads[sha256]
            ?? Task { [fetch] in
                let bytes = try await fetch(sha256)
                guard SHA256Hex.digest(Data(bytes)) == sha256 else {
                    throw ImageCacheError(message: "image \(sha256) arrived with a different hash")
                }
                return bytes
            }
        downloads[sha256] = download
        defer { downloads[sha256] = nil }
        let image = try await download.value
        store(sha256, image)
        return image
    }

    private func touch(_ key: String) {
        if let index = order.firstIndex(of: key) { order.remove(at: index) }
        order.append(key)
    }

    private func store(_ key: String, _ image: [UInt8]) {
        guard images[key] == nil else { return }
        images[key] = image
        order.append(key)
        bytes += image.count
        while bytes > budget, order.count > 1, let oldest = order.first {
            order.removeFirst()
            bytes -= images.removeValue(forKey: oldest)?.count ?? 0
        }
    }
}

/// A downloaded image did not match its hash.
public struct ImageCacheError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}
