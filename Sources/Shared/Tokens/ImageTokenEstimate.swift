/// The input tokens one image costs, by each provider's published rule
/// (docs/protocol.md, "Token estimates"). Pure arithmetic on the pixel size.
public enum ImageTokenEstimate {
    /// The size assumed when an image's size is unknown (not read at import, or unreadable).
    public static let assumedSize = ImageSize(width: 1024, height: 1024)

    /// The tokens an image of `size` costs a request to `provider` (`nil`: `assumedSize`).
    /// `lowDetail` is OpenAI's `detail: low` (a flat charge); the others ignore it.
    public static func tokens(provider: Provider, size: ImageSize?, lowDetail: Bool = false) -> Int {
        let size = size ?? assumedSize
        switch provider {
        case .openai, .mock: return lowDetail ? openAIBase : openAI(size)
        case .anthropic: return anthropic(size)
        case .gemini: return gemini(size)
        }
    }

    /// OpenAI's charge for every image, and all of a `detail: low` image's.
    public static let openAIBase = 85
    /// OpenAI's charge per 512-pixel tile at high detail.
    public static let openAITile = 170

    /// OpenAI (GPT-4o-style, high detail): scaled down to fit 2048 × 2048, then down so the
    /// shorter side is at most 768; 170 per 512 × 512 tile covering it, plus 85.
    static func openAI(_ size: ImageSize) -> Int {
        var (width, height) = (Double(size.width), Double(size.height))
        let fit = min(1, 2048 / max(width, height))
        (width, height) = ((width * fit).rounded(), (height * fit).rounded())
        let shorter = min(1, 768 / min(width, height))
        (width, height) = ((width * shorter).rounded(), (height * shorter).rounded())
        let tiles = Int((width / 512).rounded(.up)) * Int((height / 512).rounded(.up))
        return openAIBase + openAITile * tiles
    }

    /// Anthropic: scaled down so the long edge is at most 1568 pixels and the area at most
    /// about 1.15 megapixels; then width × height / 750, rounded up.
    static func anthropic(_ size: ImageSize) -> Int {
        var (width, height) = (Double(size.width), Double(size.height))
        let edge = min(1, 1568 / max(width, height))
        (width, height) = ((width * edge).rounded(), (height * edge).rounded())
        let area = min(1, (1_150_000 / (width * height)).squareRoot())
        (width, height) = ((width * area).rounded(.down), (height * area).rounded(.down))
        return Int((width * height / 750).rounded(.up))
    }

    /// Gemini's charge per image up to 384 × 384, and per 768 × 768 tile of a larger one.
    public static let geminiTile = 258

    /// Gemini: 258 when both sides are at most 384; else the image is cropped and scaled into
    /// 768 × 768 tiles, 258 each.
    static func gemini(_ size: ImageSize) -> Int {
        if size.width <= 384 && size.height <= 384 { return geminiTile }
        let across = (size.width + 767) / 768
        let down = (size.height + 767) / 768
        return geminiTile * across * down
    }
}
