/// An image's size in pixels, as its file's header states it.
public struct ImageSize: Sendable, Equatable, Hashable, Codable {
    /// Pixels across.
    public var width: Int
    /// Pixels down.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The size a PNG, JPEG, GIF or WebP file's header states, or `nil` when `bytes` are none of
    /// them, are cut short, or state no usable size (docs/protocol.md, "Token estimates").
    /// The bytes are untrusted: nothing past their end is read, and no size is guessed.
    public static func read(_ bytes: [UInt8]) -> ImageSize? {
        ImageSizeReader(bytes: bytes).size()
    }
}
