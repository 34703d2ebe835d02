import Foundation
import Shared
import Testing

@Suite struct JSONDocumentReaderTests {
    @Test func parsesNestedValuesKeepingIntegers() throws {
        let value = try JSONDocumentReader.parse(Data(#"[{"id": 1001, "x": 1.5, "ok": true, "n": null}]"#.utf8), file: "f.json")
        #expect(value == .array([.object(["id": .int(1001), "x": .double(1.5), "ok": .bool(true), "n": .null])]))
    }

    @Test func malformedJSONNamesLineAndColumn() {
        let text = "[\n  {\"question_id\": 1,\n   \"image\": }\n]"
        #expect {
            try JSONDocumentReader.parse(Data(text.utf8), file: "gen.json")
        } throws: { error in
            let syntax = error as! JSONSyntaxError
            return syntax.file == "gen.json" && syntax.line == 3 && syntax.column == 13
                && syntax.description.hasPrefix("gen.json:3:13: malformed JSON")
        }
    }

    @Test func truncatedFileIsReportedAtItsEnd() {
        let text = "[\n  {\"question_id\": 1,\n"
        #expect {
            try JSONDocumentReader.parse(Data(text.utf8), file: "gen.json")
        } throws: { error in
            let syntax = error as! JSONSyntaxError
            return syntax.line == 3 && syntax.column == 1 && syntax.reason.contains("end of file")
        }
    }

    @Test func columnsCountCharactersNotBytes() {
        let text = "{\"é\": tru}"
        #expect {
            try JSONDocumentReader.parse(Data(text.utf8), file: "x.json")
        } throws: { error in
            (error as! JSONSyntaxError).line == 1
        }
    }

    @Test func canonicalFormIgnoresKeyOrderAndSpacing() throws {
        let first = try JSONDocumentReader.parse(Data(#"{"b": [1, 2], "a": "x"}"#.utf8), file: "a")
        let second = try JSONDocumentReader.parse(Data("{\n \"a\":\"x\",\n \"b\":[1,2]\n}".utf8), file: "b")
        #expect(first.canonicalData() == second.canonicalData())
        #expect(first.canonicalString() == #"{"a":"x","b":[1,2]}"#)
    }
}
