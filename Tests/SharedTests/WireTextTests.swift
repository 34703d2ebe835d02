import Foundation
import Shared
import Testing

/// The wire's own readers and writers of dates, lease tokens and integers agree with Foundation's.
@Suite struct WireTextTests {
    private let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private func encoded(_ date: Date) throws -> String {
        let text = String(decoding: try WireCoding.encoder().encode([date]), as: UTF8.self)
        return String(text.dropFirst(2).dropLast(2))
    }

    @Test func datesAreWrittenAsFoundationWritesThem() throws {
        var generator = SystemRandomNumberGenerator()
        // Eighths of a second are exact in binary, so no rounding rule can tell the two apart.
        var dates = (0..<2000).map { _ in
            Date(
                timeIntervalSince1970: Double(Int64.random(in: -62_000_000_000...250_000_000_000, using: &generator)) + Double(Int.random(in: 0..<8))
                    / 8)
        }
        dates += [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.875), Date(timeIntervalSince1970: 951_782_400)]  // 2000-02-29
        for date in dates {
            #expect(try encoded(date) == foundation.format(date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func datesReadBackWithinAMillisecondAndAsFoundationReadsThem() throws {
        let decoder = WireCoding.decoder()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -1e10...2.5e11))
            let text = try encoded(date)
            let read = try decoder.decode([Date].self, from: Data("[\"\(text)\"]".utf8))[0]
            #expect(abs(read.timeIntervalSince(date)) < 0.001, "\(text)")
            // Within a step of the Double itself: 30 µs in 9892, far below a millisecond.
            #expect(abs(read.timeIntervalSince(try foundation.parse(text))) < 1e-4, "\(text)")
        }
        // Other ISO 8601 forms, and dates the fast reader leaves to Foundation, read as Foundation reads them.
        for text in ["2026-12-02T19:20:39Z", "2026-12-02T19:20:39.5Z", "2026-02-31T00:00:00.000Z", "1500-01-01T00:00:00.000Z"] {
            #expect(try decoder.decode([Date].self, from: Data("[\"\(text)\"]".utf8))[0] == (try foundation.parse(text)), "\(text)")
        }
        #expect(throws: DecodingError.self) { try decoder.decode([Date].self, from: Data(#"["2026-12-02"]"#.utf8)) }
    }

    @Test func leaseTokensReadAsFoundationReadsThem() {
        for _ in 0..<1000 {
            let token = UUID()
            #expect(UUID(canonical: token.uuidString) == token)
            #expect(UUID(canonical: token.uuidString.lowercased()) == token)
        }
        let good = "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"
        #expect(UUID(canonical: good) == UUID(uuidString: good))
        for bad in [
            "", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A1", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A111", "A0EEBC99X9C0B-4EF8-BB6D-6BB9BD380A11",
            "G0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "A0EEBC999C0B-4EF8-BB6D-6BB9BD380A11-", "{0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A1}",
        ] {
            #expect(UUID(canonical: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "Foundation agrees on \(bad)")
        }
    }

    @Test func leaseTokensWriteAsFoundationWritesThem() {
        for _ in 0..<1000 {
            let token = UUID()
            #expect(token.canonicalText == token.uuidString)
        }
        let edges = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
            UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")!,
        ]
        for token in edges {
            #expect(token.canonicalText == token.uuidString)
            #expect(UUID(canonical: token.canonicalText) == token)
        }
    }

    @Test func integersWriteAsTheirDecimalText() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        values += (0..<2000).map { _ in Int64.random(in: .min ... .max) >> Int64.random(in: 0...63) }
        for value in values {
            var writer = JSONBytesWriter()
            writer.int(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
        // Beyond Int64: the general form.
        var writer = JSONBytesWriter()
        writer.beginArray()
        writer.int(UInt64.max)
        writer.int(Int8(-128))
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[18446744073709551615,-128]")
    }
}
