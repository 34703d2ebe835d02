import Foundation
import Shared
import SiuoTestSupport
import Testing

@Suite struct ImageAndHashTests {
    @Test(
        arguments: [
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], ImageMediaType.png),
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0], .jpeg),
            (Array("GIF89a..".utf8), .gif),
            (Array("GIF87a..".utf8), .gif),
            (Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), .webp),
        ] as [([UInt8], ImageMediaType)])
    func recognisesImageFormats(bytes: [UInt8], expected: ImageMediaType) {
        #expect(ImageMediaType.sniff(Data(bytes)) == expected)
    }

    @Test(arguments: ["<html>not an image</html>", "", "RIFF1234WAVEfmt ", "\u{89}PN"])
    func refusesNonImages(text: String) {
        #expect(ImageMediaType.sniff(Data(text.utf8)) == nil)
    }

    @Test func generatedTestImagesAreRealPNGs() {
        let image = PNGWriter.image(width: 4, height: 3, seed: 1)
        #expect(ImageMediaType.sniff(Data(image)) == .png)
        #expect(image != PNGWriter.image(width: 4, height: 3, seed: 2))
    }

    @Test func sha256MatchesTheStandardVector() {
        #expect(SHA256Hex.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hex.isValid(SHA256Hex.digest(Data())))
        #expect(!SHA256Hex.isValid("ABC"))
    }

    @Test(arguments: ["siuo", "frontier-2026.11_b", String(repeating: "a", count: 64)])
    func acceptsGoodNames(name: String) {
        #expect(ResourceName.problem(with: name) == nil)
    }

    @Test(arguments: ["", "a b", "../x", "ü", String(repeating: "a", count: 65), "x/y"])
    func refusesBadNames(name: String) {
        #expect(ResourceName.problem(with: name) != nil)
    }
}
