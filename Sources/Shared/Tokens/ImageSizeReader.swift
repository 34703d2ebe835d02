import Foundation

/// Reads the pixel size from an image file's header: PNG `IHDR`, the JPEG frame header
/// (`SOFn`, past any `APPn` and other segments), the GIF logical screen, and WebP's
/// `VP8 `, `VP8L` or `VP8X` chunk. Every read is bounds-checked; the pixels are not decoded.
struct ImageSizeReader {
    let bytes: [UInt8]

    /// The largest side accepted (PNG's own limit, 2³¹ − 1, and far past any model's).
    static let largestSide = Int(Int32.max)

    func size() -> ImageSize? {
        let found: (Int, Int)?
        switch ImageMediaType.sniff(Data(bytes.prefix(12))) {
        case .png: found = png()
        case .jpeg: found = jpeg()
        case .gif: found = gif()
        case .webp: found = webp()
        case nil: found = nil
        }
        guard let (width, height) = found, (1...Self.largestSide).contains(width), (1...Self.largestSide).contains(height) else {
            return nil
        }
        return ImageSize(width: width, height: height)
    }

    /// Signature, then the first chunk, which must be `IHDR`: width and height big-endian.
    private func png() -> (Int, Int)? {
        guard bytes.count >= 24, bytes[12..<16].elementsEqual("IHDR".utf8) else { return nil }
        return (bigEndian(at: 16, count: 4)!, bigEndian(at: 20, count: 4)!)
    }

    /// The logical screen's width and height, little-endian, after `GIF87a`/`GIF89a`.
    private func gif() -> (Int, Int)? {
        guard bytes.count >= 10 else { return nil }
        return (littleEndian(at: 6, count: 2)!, littleEndian(at: 8, count: 2)!)
    }

    /// The first chunk after `RIFF····WEBP` names the format.
    private func webp() -> (Int, Int)? {
        guard bytes.count >= 20 else { return nil }
        switch String(decoding: bytes[12..<16], as: UTF8.self) {
        case "VP8 ":
            // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
            guard bytes.count >= 30, bytes[23] == 0x9D, bytes[24] == 0x01, bytes[25] == 0x2A else { return nil }
            return (littleEndian(at: 26, count: 2)! & 0x3FFF, littleEndian(at: 28, count: 2)! & 0x3FFF)
        case "VP8L":
            // Lossless: the signature 0x2F, then width − 1 and height − 1 in 14 bits each.
            guard bytes.count >= 25, bytes[20] == 0x2F else { return nil }
            let bits = littleEndian(at: 21, count: 4)!
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            // Extended: flags and reserved bytes, then canvas width − 1 and height − 1 in 24 bits each.
            guard bytes.count >= 30 else { return nil }
            return (littleEndian(at: 24, count: 3)! + 1, littleEndian(at: 27, count: 3)! + 1)
        default:
            return nil
        }
    }

    /// Walks the segments after `SOI` to the first frame header. Markers without a length
    /// (`RSTn`, `TEM`) are stepped over; a scan or the end before any frame header gives `nil`.
    private func jpeg() -> (Int, Int)? {
        var index = 2
        while index + 1 < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            switch marker {
            case 0xFF:
                index += 1  // fill byte
                continue
            case 0x01, 0xD0...0xD8:
                index += 2
                continue
            case 0xD9, 0xDA:
                return nil
            default:
                break
            }
            guard let length = bigEndian(at: index + 2, count: 2), length >= 2 else { return nil }
            if Self.isFrameHeader(marker) {
                // Length, sample precision, then height and width; a height of 0 is given later (DNL): unknown.
                guard length >= 7, let height = bigEndian(at: index + 5, count: 2), let width = bigEndian(at: index + 7, count: 2) else {
                    return nil
                }
                return (width, height)
            }
            index += 2 + length
        }
        return nil
    }

    /// `SOF0`…`SOF15`, except `DHT` (C4), `JPG` (C8) and `DAC` (CC), which share the range.
    static func isFrameHeader(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
    }

    private func bigEndian(at offset: Int, count: Int) -> Int? {
        guard offset >= 0, offset + count <= bytes.count else { return nil }
        return bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }

    private func littleEndian(at offset: Int, count: Int) -> Int? {
        guard offset >= 0, offset + count <= bytes.count else { return nil }
        return bytes[offset..<offset + count].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
