import Crypto
import Foundation

/// Lower-case hex SHA-256, the content key of images, datasets and requests.
public enum SHA256Hex {
    /// The digest of `data` as 64 lower-case hex characters.
    public static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { hexByte($0) }.joined()
    }

    /// The digest of the UTF-8 bytes of `text`.
    public static func digest(_ text: String) -> String {
        digest(Data(text.utf8))
    }

    /// Whether `text` has the shape of a digest (64 lower-case hex characters).
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
