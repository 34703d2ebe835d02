import Foundation
import SiuoTestSupport
import Testing

@testable import Coordinator

/// `PostgresTimestamp.parse` reads every `timestamptz` PostgreSQL writes as the instant PostgreSQL
/// means: thousands of timestamps from year 4713 BC to 9999 AD, checked against PostgreSQL's own epoch.
@Suite struct PostgresTimestampTests {
    /// Two instants agree when they differ by less than a microsecond or two units in the last place.
    private func agree(_ parsed: Date?, _ epoch: Double) -> Bool {
        guard let parsed else { return false }
        return abs(parsed.timeIntervalSince1970 - epoch) <= max(1e-6, abs(epoch) * 4.5e-16)
    }

    @Test func everyTimestampPostgreSQLWritesReadsAsItsEpoch() async throws {
        let pool = try await TestDatabase.pool(suite: "timestamps")
        let rows = try await pool.query(
            """
            WITH t(ts) AS (
                SELECT timestamptz '0001-01-01 00:00:00+00' + random() * (timestamptz '9999-12-31 23:59:59+00' - timestamptz '0001-01-01 00:00:00+00')
                FROM generate_series(1, 4000)
                UNION ALL
                SELECT timestamptz '4713-01-01 00:00:00+00 BC' + random() * interval '4712 years' FROM generate_series(1, 500)
                UNION ALL
                SELECT now() + random() * interval '400 days' FROM generate_series(1, 500)
                UNION ALL
                SELECT v::timestamptz FROM (VALUES ('1970-01-01 00:00:00+00'), ('1969-12-31 23:59:59.999999+00'),
                    ('2000-02-29 12:00:00.5+00'), ('1900-02-28 23:59:59.999999+00'), ('1582-10-10 08:00:00+00'),
                    ('0001-01-01 00:00:00+00'), ('0001-12-31 23:59:59.999999+00 BC'), ('9999-12-31 23:59:59.999999+00')) AS v(v)
            )
            SELECT ts::text AS text, extract(epoch FROM ts)::text AS epoch FROM t
            """)
        #expect(rows.count == 5_008)
        var wrong: [String] = []
        for row in rows {
            let text = try row.decode(String.self, "text")
            let epoch = try #require(Double(try row.decode(String.self, "epoch")))
            if !agree(PostgresTimestamp.parse(text), epoch) { wrong.append(text) }
        }
        #expect(wrong.isEmpty, "read wrongly: \(wrong.prefix(5))")
        // Through the row decoder too.
        let now = try await pool.query("SELECT now() AS now, extract(epoch FROM now())::text AS epoch")[0]
        #expect(agree(try now.decode(Date.self, "now"), try #require(Double(try now.decode(String.self, "epoch")))))
    }

    /// Dates bound as parameters reach PostgreSQL as the same instants, to the microsecond, from 4713 BC
    /// to 9999 AD, and read back equal.
    @Test func datesBoundAsParametersArriveAsTheSameInstants() async throws {
        let pool = try await TestDatabase.pool(suite: "timestamps_bound")
        var generator = SystemRandomNumberGenerator()
        let first = -210_866_803_200.0  // 4713-01-01 BC
        let last = 253_402_300_799.0  // 9999-12-31 23:59:59
        var dates = (0..<400).map { _ in Date(timeIntervalSince1970: (Double.random(in: first...last, using: &generator) * 1e6).rounded() / 1e6) }
        dates += [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.000_001), Date(), Date(timeIntervalSince1970: -62_135_596_800)]
        var wrong: [String] = []
        for date in dates {
            let row = try await pool.query("SELECT $1::timestamptz AS at, extract(epoch FROM $1::timestamptz)::text AS epoch", [date])[0]
            let epoch = try #require(Double(try row.decode(String.self, "epoch")))
            let back = try row.decode(Date.self, "at")
            if !agree(Date(timeIntervalSince1970: epoch), date.timeIntervalSince1970) || !agree(back, date.timeIntervalSince1970) {
                wrong.append("\(date.timeIntervalSince1970) as \(PostgresTimestamp.format(date))")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -62_135_596_800.5)) == "0001-12-31 23:59:59.500000+00 BC")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: .infinity)) == "infinity")
    }

    @Test func offsetsAreSubtractedAndMalformedTextIsRefused() {
        let utc = PostgresTimestamp.parse("2026-12-03 04:30:00+00")
        #expect(utc == Date(timeIntervalSince1970: 1_796_272_200))
        #expect(PostgresTimestamp.parse("2026-12-03 10:00:00+05:30") == utc)
        #expect(PostgresTimestamp.parse("2026-12-02 23:30:00-05") == utc)
        #expect(PostgresTimestamp.parse("2026-12-03 04:30:10+00:00:10") == utc)
        #expect(PostgresTimestamp.parse("2026-12-03 04:30:00") == utc, "no offset means UTC")
        for text in [
            "infinity", "-infinity", "2026-02-30 00:00:00+00", "2026-13-01 00:00:00+00", "2026-12-03T04:30:00+00",
            "2026-12-03 24:00:00+00", "2026-12-03 04:30:00+00 extra", "2026-12-03 04:30:00+0", "20261-12-03 04:30:00+00", "",
        ] {
            #expect(PostgresTimestamp.parse(text) == nil, "\(text)")
        }
    }
}
