import Foundation

/// Reads JSON straight from bytes, for the messages of every lease round
/// (result batches on the coordinator, lease grants on the worker), where
/// Foundation's `JSONDecoder` was the largest share of the CPU.
///
/// It is a fast path only: it accepts the messages as `JSONBytesWriter` and
/// `JSONEncoder` write them and throws `Unreadable` at anything else (a
/// missing or mistyped field, a number with a fraction, bytes after the end,
/// text that is not UTF-8); callers then decode with `WireCoding.decoder()`,
/// whose answer, or error message, stands. So the messages' rules stay in
/// their `Codable` forms, and this reader can only be faster, never laxer.
public struct JSONBytesReader {
    /// Anything the fast path does not read; the caller falls back to `JSONDecoder`.
    public struct Unreadable: Error {}

    /// The deepest nesting read: the messages are a few levels deep, and a
    /// hostile body nested a million deep must not exhaust the stack.
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    /// A reader over `bytes`, which must be valid UTF-8.
    init(_ bytes: [UInt8]) throws(Unreadable) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Unreadable() }
        self.bytes = bytes
    }

    /// Reads one whole document with `body`; nothing but whitespace may follow.
    static func read<T>(_ bytes: [UInt8], _ body: (inout JSONBytesReader) throws(Unreadable) -> T) throws(Unreadable) -> T {
        var reader = try JSONBytesReader(bytes)
        let value = try body(&reader)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw Unreadable() }
        return value
    }

    /// Calls `member` with each key of an object, positioned at its value,
    /// which `member` must read (or `skipValue`).
    mutating func readObject(_ member: (String, inout JSONBytesReader) throws(Unreadable) -> Void) throws(Unreadable) {
        try expect(UInt8(ascii: "{"))
        try enter()
        defer { depth -= 1 }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try member(key, &self)
            skipWhitespace()
            guard position < bytes.count else { throw Unreadable() }
            let next = bytes[position]
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Unreadable() }
        }
    }

    /// Reads an array, calling `element` positioned at each element.
    mutating func readArray(_ element: (inout JSONBytesReader) throws(Unreadable) -> Void) throws(Unreadable) {
        try expect(UInt8(ascii: "["))
        try enter()
        defer { depth -= 1 }
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw Unreadable() }
            let next = bytes[position]
            position += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Unreadable() }
        }
    }

    /// Reads `null` if it comes next; answers whether it did.
    mutating func readNull() -> Bool {
        skipWhitespace()
        guard bytes[position...].starts(with: "null".utf8) else { return false }
        position += 4
        return true
    }

    /// A string.
    mutating func readString() throws(Unreadable) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        // The common case: no escapes, the bytes are the string.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\"), bytes[position] >= 0x20 {
            position += 1
        }
        guard position < bytes.count else { throw Unreadable() }
        if bytes[position] == UInt8(ascii: "\"") {
            position += 1
            return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
        }
        var text = Array(bytes[start..<position])
        while true {
            guard position < bytes.count else { throw Unreadable() }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw Unreadable() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else { throw Unreadable() }
                        position += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Unreadable() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Unreadable() }
                    text.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw Unreadable()
                }
            case 0..<0x20:
                throw Unreadable()
            default:
                text.append(byte)
            }
        }
    }

    /// An integer (no fraction, no exponent, within `Int`).
    mutating func readInt() throws(Unreadable) -> Int {
        skipWhitespace()
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let start = position
        var value = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowed) = shifted.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
            guard !overflow, !overflowed else { throw Unreadable() }
            value = sum
            position += 1
        }
        guard position > start else { throw Unreadable() }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) { throw Unreadable() }
        return negative ? -value : value
    }

    /// `true` or `false`.
    mutating func readBool() throws(Unreadable) -> Bool {
        skipWhitespace()
        if bytes[position...].starts(with: "true".utf8) {
            position += 4
            return true
        }
        if bytes[position...].starts(with: "false".utf8) {
            position += 5
            return false
        }
        throw Unreadable()
    }

    /// The bytes of the next value, whatever it is, for another decoder.
    mutating func readRawValue() throws(Unreadable) -> ArraySlice<UInt8> {
        skipWhitespace()
        let start = position
        try skipValue()
        return bytes[start..<position]
    }

    /// Skips the next value (a member this reader does not know).
    mutating func skipValue() throws(Unreadable) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"): try readObject { _, reader throws(Unreadable) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { reader throws(Unreadable) in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): guard readNull() else { throw Unreadable() }
        default:
            // A number: whatever characters a number may hold.
            let start = position
            while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
            guard position > start else { throw Unreadable() }
        }
    }

    private mutating func readHex4() throws(Unreadable) -> UInt32 {
        guard position + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16) else {
            throw Unreadable()
        }
        position += 4
        return value
    }

    private mutating func enter() throws(Unreadable) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw Unreadable() }
    }

    private mutating func expect(_ byte: UInt8) throws(Unreadable) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw Unreadable() }
        position += 1
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }
}
