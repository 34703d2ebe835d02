import Foundation

/// The image formats the model APIs accept, recognised by their magic bytes.
public enum ImageMediaType: String, Sendable, CaseIterable {
    /// PNG.
    case png = "image/png"
    /// JPEG.
    case jpeg = "image/jpeg"
    /// GIF.
    case gif = "image/gif"
    /// WebP.
    case webp = "image/webp"

    /// The format whose signature starts `data`, or `nil` when it is none of them.
    /// File names are not trusted: a `.png` holding HTML is not an image.
    public static func sniff(_ data: Data) -> ImageMediaType? {
        let head = [UInt8](data.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .gif }
        if head.count == 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) {
            return .webp
        }
        return nil
    }
}
