import Foundation

extension UUID {
    /// A UUID from its canonical text, 8-4-4-4-12 hex digits in either case,
    /// read without Foundation's parser (which runs `sscanf` per byte on
    /// Linux, a measurable share of a lease round: every lease token is read
    /// three times); `nil` for any other text.
    public init?(canonicalText text: some Collection<UInt8>) {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var high: UInt8?
        var count = 0
        var position = 0
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            for character in text {
                defer { position += 1 }
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard character == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let nibble = Self.nibble(character) else { return false }
                if let first = high {
                    out[count] = first << 4 | nibble
                    count += 1
                    high = nil
                } else {
                    high = nibble
                }
            }
            return count == 16
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }

    /// A UUID from its canonical text (`init(canonicalText:)`).
    public init?(canonical text: String) {
        var text = text
        guard let value = text.withUTF8({ UUID(canonicalText: $0) }) else { return nil }
        self = value
    }

    /// The canonical text, the same as `uuidString` (8-4-4-4-12 uppercase
    /// hex digits), written without Foundation's formatter, which calls
    /// `snprintf` for each byte on Linux: every lease token is written into a
    /// lease grant, a result batch and a fencing query, and UUID parameters
    /// are bound as this text (`PostgresBindable`).
    public var canonicalText: String {
        String(unsafeUninitializedCapacity: 36) { out in
            withUnsafeBytes(of: uuid) { bytes in
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    out[position] = Self.hexDigits[Int(byte >> 4)]
                    out[position + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
