import Foundation
import Shared
import SiuoTestSupport
import Testing

/// Pixel sizes read from image headers the tests write themselves: every format the model APIs
/// take, the JPEG segments that come before a frame header, and hostile bytes (cut short,
/// garbage, lying lengths) that must give `nil` and never a crash or a read past the end.
@Suite struct ImageSizeTests {
    static func le(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func be(_ value: Int, _ count: Int) -> [UInt8] { le(value, count).reversed() }

    /// A JPEG: SOI, an APP0 (JFIF), an APP1 with bytes that look like markers, a DQT and a DHT,
    /// then the frame header `sof` (C0 baseline, C2 progressive, …) and a scan.
    static func jpeg(width: Int, height: Int, sof: UInt8 = 0xC0, fill: Bool = false) -> [UInt8] {
        func segment(_ marker: UInt8, _ body: [UInt8]) -> [UInt8] { [0xFF, marker] + be(body.count + 2, 2) + body }
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        bytes += segment(0xE1, [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x7F, 0x7F, 0x7F, 0x7F] + Array(repeating: 0xAB, count: 40))
        if fill { bytes += [0xFF, 0xFF] }
        bytes += segment(0xDB, [0] + Array(repeating: 1, count: 64))
        bytes += segment(0xC4, [0] + Array(repeating: 0, count: 16))
        bytes += segment(sof, [8] + be(height, 2) + be(width, 2) + [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
        bytes += segment(0xDA, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0]) + [0x12, 0x34, 0xFF, 0xD9]
        return bytes
    }

    static func gif(width: Int, height: Int) -> [UInt8] {
        Array("GIF89a".utf8) + le(width, 2) + le(height, 2) + [0xF7, 0, 0] + Array(repeating: 0, count: 20) + [0x3B]
    }

    static func webp(_ chunk: String, _ body: [UInt8]) -> [UInt8] {
        let payload = Array("WEBP".utf8) + Array(chunk.utf8) + le(body.count, 4) + body
        return Array("RIFF".utf8) + le(payload.count, 4) + payload
    }

    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        webp("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A] + le(width, 2) + le(height, 2) + Array(repeating: 0, count: 10))
    }

    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        webp("VP8L", [0x2F] + le((width - 1) | (height - 1) << 14, 4) + [0, 0, 0])
    }

    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        webp("VP8X", [0x10, 0, 0, 0] + le(width - 1, 3) + le(height - 1, 3))
    }

    /// Each valid sample and the size it states.
    static let samples: [(String, [UInt8], ImageSize)] = [
        ("png", PNGWriter.image(width: 37, height: 5, seed: 1), ImageSize(width: 37, height: 5)),
        ("jpeg baseline", jpeg(width: 1920, height: 1080), ImageSize(width: 1920, height: 1080)),
        ("jpeg progressive", jpeg(width: 640, height: 4000, sof: 0xC2), ImageSize(width: 640, height: 4000)),
        ("jpeg with fill bytes", jpeg(width: 3, height: 65535, fill: true), ImageSize(width: 3, height: 65535)),
        ("gif", gif(width: 500, height: 281), ImageSize(width: 500, height: 281)),
        ("webp lossy", webpLossy(width: 1024, height: 768), ImageSize(width: 1024, height: 768)),
        ("webp lossless", webpLossless(width: 16384, height: 1), ImageSize(width: 16384, height: 1)),
        ("webp extended", webpExtended(width: 16_777_216, height: 2), ImageSize(width: 16_777_216, height: 2)),
    ]

    @Test func everyFormatsHeaderGivesItsSize() {
        for (name, bytes, size) in Self.samples {
            #expect(ImageSize.read(bytes) == size, "\(name)")
        }
    }

    @Test func aFileCutShortAnywhereGivesNilOrItsSizeAndNeverReadsPastTheEnd() {
        for (name, bytes, size) in Self.samples {
            for length in 0..<bytes.count {
                let read = ImageSize.read(Array(bytes.prefix(length)))
                #expect(read == nil || read == size, "\(name) cut to \(length)")
            }
        }
        // A header must be whole: cut inside it, nothing is read.
        #expect(ImageSize.read(Array(PNGWriter.image(width: 4, height: 4, seed: 2).prefix(23))) == nil)
    }

    @Test func garbageNeverCrashesAndLiesGiveNil() {
        var state: UInt64 = 0x1234_5678
        for _ in 0..<500 {
            let length = Int(state % 64)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: state >> 56))
            }
            _ = ImageSize.read(bytes)  // must not crash
            _ = ImageSize.read([0xFF, 0xD8] + bytes)
            _ = ImageSize.read(Array("RIFF\0\0\0\0WEBPVP8L".utf8) + bytes)
        }
        #expect(ImageSize.read([]) == nil)
        #expect(ImageSize.read(Array("<html>not an image</html>".utf8)) == nil)
        // A PNG whose first chunk is not IHDR; a zero width.
        var png = PNGWriter.image(width: 3, height: 3, seed: 3)
        png.replaceSubrange(12..<16, with: Array("IDAT".utf8))
        #expect(ImageSize.read(png) == nil)
        #expect(ImageSize.read(Self.gif(width: 0, height: 10)) == nil)
        // JPEG: a scan before any frame header; a segment length of 0 or 1; a frame header
        // whose height comes later (DNL); a length running past the end.
        #expect(ImageSize.read([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6]) == nil)
        #expect(ImageSize.read([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xC0]) == nil)
        #expect(ImageSize.read(Self.jpeg(width: 10, height: 0)) == nil)
        #expect(ImageSize.read([0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0, 0]) == nil)
        // WebP: a lossy chunk without its start code; an unknown chunk.
        var lossy = Self.webpLossy(width: 10, height: 10)
        lossy[23] = 0
        #expect(ImageSize.read(lossy) == nil)
        #expect(ImageSize.read(Self.webp("ALPH", Array(repeating: 1, count: 20))) == nil)
    }
}
