import Foundation
import Shared

/// A query parameter as libpq sends it: text the server parses by the
/// placeholder's type, or raw bytes for `bytea` (sent in binary so images
/// need no escaping and no doubling in size).
public enum PostgresParameter: Sendable, Equatable {
    /// SQL NULL.
    case null
    /// Text in PostgreSQL's input syntax for the placeholder's type.
    case text(String)
    /// Raw `bytea` content.
    case bytes([UInt8])
}

/// A Swift value that can be bound to a `$n` placeholder.
public protocol PostgresBindable: Sendable {
    /// The value in the form sent to the server.
    var postgresParameter: PostgresParameter { get }
}

extension String: PostgresBindable {
    /// The string itself.
    public var postgresParameter: PostgresParameter { .text(self) }
}

extension Int: PostgresBindable {
    /// Decimal text.
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Int64: PostgresBindable {
    /// Decimal text.
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Int32: PostgresBindable {
    /// Decimal text.
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Double: PostgresBindable {
    /// Round-trip decimal text; non-finite values in PostgreSQL's spelling.
    public var postgresParameter: PostgresParameter {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self > 0 ? "Infinity" : "-Infinity") }
        return .text("\(self)")
    }
}

extension Bool: PostgresBindable {
    /// `true` / `false`.
    public var postgresParameter: PostgresParameter { .text(self ? "true" : "false") }
}

extension UUID: PostgresBindable {
    /// The canonical hyphenated form.
    public var postgresParameter: PostgresParameter { .text(canonicalText) }
}

extension Date: PostgresBindable {
    /// An ISO 8601 timestamp in UTC with microseconds.
    public var postgresParameter: PostgresParameter { .text(PostgresTimestamp.format(self)) }
}

extension Array: PostgresBindable where Element == UInt8 {
    /// The bytes, sent in binary as `bytea`.
    public var postgresParameter: PostgresParameter { .bytes(self) }
}

extension Data: PostgresBindable {
    /// The bytes, sent in binary as `bytea`.
    public var postgresParameter: PostgresParameter { .bytes([UInt8](self)) }
}

extension JSONValue: PostgresBindable {
    /// Canonical JSON text, for `json`/`jsonb` placeholders.
    public var postgresParameter: PostgresParameter { .text(canonicalString()) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    /// NULL for `nil`, else the wrapped value.
    public var postgresParameter: PostgresParameter { self?.postgresParameter ?? .null }
}

/// A text array (`text[]`), for `= ANY($1)` and `unnest($1)`; cast it in SQL
/// (`$1::int[]`, `$1::jsonb[]`) for arrays of other types.
public struct PostgresTextArray: PostgresBindable {
    /// The elements, in order.
    public var elements: [String]

    /// Wraps `elements`.
    public init(_ elements: [String]) {
        self.elements = elements
    }

    /// The array literal with every element quoted and escaped.
    public var postgresParameter: PostgresParameter {
        .text(PostgresArrayLiteral.make(elements))
    }
}

/// A text array whose elements may be NULL.
public struct PostgresNullableTextArray: PostgresBindable {
    /// The elements, in order; `nil` is NULL.
    public var elements: [String?]

    /// Wraps `elements`.
    public init(_ elements: [String?]) {
        self.elements = elements
    }

    /// The array literal, NULL unquoted.
    public var postgresParameter: PostgresParameter {
        .text(PostgresArrayLiteral.make(elements))
    }
}

enum PostgresArrayLiteral {
    /// `{"a","b\\"c",NULL}`: every element quoted, so no content is taken
    /// for syntax (commas, braces, the word NULL).
    static func make(_ elements: [String]) -> String {
        // Viewed as optionals lazily: passing `[String]` as `[String?]` casts every element at run time.
        make(elements.lazy.map { Optional($0) })
    }

    /// `make` with NULL elements.
    static func make(_ elements: some Collection<String?>) -> String {
        // Byte by byte: `\` and `"` are ASCII and never part of a longer UTF-8 sequence.
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
