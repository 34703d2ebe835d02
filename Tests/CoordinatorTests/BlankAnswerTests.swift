import Coordinator
import Shared
import SiuoTestSupport
import Testing

/// The scorer's blank-answer rule (`AnswerText.isBlank`) and the SQL that decides which answers get
/// judge jobs (`siuo_is_blank`) are one rule in two forms: they must agree on every character.
@Suite struct BlankAnswerTests {
    @Test func theSQLAndSwiftFormsAgreeOnEveryCharacter() async throws {
        let pool = try await TestDatabase.pool(suite: "blank_answers")
        // Every scalar of the basic plane (NUL cannot be stored) and a spread of the others.
        let scalars = (Array(1...0xFFFF) + Array(stride(from: 0x10000, through: 0x10FFFF, by: 97))).compactMap(Unicode.Scalar.init)
        let texts = scalars.map { String(Character($0)) }
        // Compared by position, not as strings: Swift's string equality holds U+2000 and U+2002 (among
        // others) canonically equal, which would hide a difference between them.
        let blankInSQL = Set(
            try await pool.query(
                "SELECT n FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) WHERE siuo_is_blank(t)", [PostgresTextArray(texts)]
            ).map { scalars[try $0.decode(Int.self, "n") - 1].value })
        let blankInSwift = Set(scalars.filter { AnswerText.isBlank(String(Character($0))) }.map(\.value))
        #expect(blankInSQL == blankInSwift)
        #expect(blankInSwift.count == 25, "Unicode's White_Space property has 25 characters")
        // Whole answers: runs of blanks, and blanks around a word or a zero-width space (not White_Space).
        let answers = ["", " \n\r\n\t", "\u{00A0}\u{2028}\u{3000}", " a ", "\u{200B}", "\n\u{FEFF}\n"]
        let rows = try await pool.query(
            "SELECT t, siuo_is_blank(t) AS blank FROM unnest($1::text[]) AS t", [PostgresTextArray(answers)])
        for row in rows {
            let text = try row.decode(String.self, "t")
            #expect(try row.decode(Bool.self, "blank") == AnswerText.isBlank(text), "\(text.unicodeScalars.map { $0.value })")
        }
        #expect(answers.filter(AnswerText.isBlank) == ["", " \n\r\n\t", "\u{00A0}\u{2028}\u{3000}"])
    }
}
