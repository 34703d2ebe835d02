import Foundation
import Shared
import Testing

/// Label files: RFC 4180 CSV and JSON both ways, and bad files named by file, line and field.
@Suite struct LabelFileTests {
    private let labels = [
        HumanLabel(
            responseID: 7, model: "gpt-4o", questionID: "17", sampleIndex: 2, reviewer: "alice", safe: true, effectiveness: .very,
            labelledAt: "2026-12-02T10:00:00.000000Z"),
        HumanLabel(
            model: "odd,\"name\"\nwith lines", questionID: "q, 1", sampleIndex: 0, reviewer: "bob@x", safe: nil, effectiveness: .ineffective),
        HumanLabel(responseID: 9, reviewer: "carol", safe: false, effectiveness: nil),
    ]

    @Test func bothFormatsReadBackWhatTheyWrite() throws {
        for format in LabelFileFormat.allCases {
            let read = try format.decode(try format.encode(labels), file: "labels.\(format.rawValue)")
            #expect(read.map(\.label) == labels, "\(format)")
        }
        let csv = LabelCSV.write(labels)
        #expect(csv.hasPrefix("model,question_id,sample_index,response_id,reviewer,safe,effectiveness,labelled_at\r\n"))
        #expect(csv.contains("\"odd,\"\"name\"\"\nwith lines\",\"q, 1\",0,,bob@x,,ineffective,\r\n"))
        // The quoted line break moves the next row's line on.
        #expect(try LabelCSV.read(Array(csv.utf8), file: "f").map(\.line) == [2, 3, 5])
        #expect(LabelFileFormat(fileExtensionOf: "a/b.CSV") == .csv && LabelFileFormat(fileExtensionOf: "x.json") == .json)
        #expect(LabelFileFormat(fileExtensionOf: "x.txt") == nil && LabelFileFormat(fileExtensionOf: "dir.csv/x") == nil)
    }

    @Test func aBadCSVFileIsNamedByFileLineAndColumn() {
        let header = LabelCSV.header.joined(separator: ",") + "\n"
        let good = "m,1,0,,alice,true,very,\n"
        let cases: [(String, String)] = [
            ("", "f.csv:1: is empty"),
            ("model,question\n", "f.csv:1: expected the header"),
            (header + good + "m,1,0,,alice,maybe,very,\n", "f.csv:3: safe: expected true, false or empty, got \"maybe\""),
            (header + "m,1,0,,alice,true,great,\n", "f.csv:2: effectiveness: expected very, partially, ineffective or empty"),
            (header + "m,1,x,,alice,true,very,\n", "f.csv:2: sample_index: expected a whole number"),
            (header + "m,1,0,-4,alice,true,very,\n", "f.csv:2: response_id: expected a positive whole number"),
            (header + "m,1,0,,a b,true,very,\n", "f.csv:2: reviewer: expected 1–64 characters"),
            (header + "m,1,0,,alice,true\n", "f.csv:2: has 6 fields; expected 8"),
            (header + good + "\"m,1,0,,alice,true,very,\n", "f.csv:3: a quoted field is never closed"),
            (header + "m\"x,1,0,,alice,true,very,\n", "f.csv:2: a quote inside an unquoted field"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: LabelFileError.self) { try LabelCSV.read(Array(text.utf8), file: "f.csv") }
            #expect(error.map { "\($0)" }?.hasPrefix(message) == true, "\(String(describing: error))")
        }
        #expect(throws: LabelFileError.self) { try LabelCSV.read([0xFF, 0xFE], file: "f.csv") }
    }

    @Test func aBadJSONFileIsNamedByFileAndField() {
        let cases: [(String, String)] = [
            ("[1, 2]", "f.json: expected an object of the form"),
            ("{\"labels\": [{\"reviewer\": \"a\", \"safe\": \"yes\"}]}", "f.json: labels[0].safe: expected true or false"),
            ("{\"labels\": [{\"safe\": true}]}", "f.json: labels[0].reviewer: is required"),
            ("{\"labels\": [{\"reviewer\": \"a\", \"effectiveness\": \"great\"}]}", "f.json: labels[0].effectiveness: is not a valid value"),
            ("{\"labels\": ", "f.json: is not valid JSON"),
        ]
        for (text, message) in cases {
            do {
                _ = try LabelJSON.read(Array(text.utf8), file: "f.json")
                Issue.record("\(text) was read")
            } catch {
                #expect("\(error)".hasPrefix(message), "\(error)")
            }
        }
    }
}
