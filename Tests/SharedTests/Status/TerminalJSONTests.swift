import Foundation
import Shared
import Testing

/// JSON printed to a terminal (`sweep status --json`, `report --format json`) carries provider words:
/// what a terminal would act on is written as an escape, and the document still means the same.
@Suite struct TerminalJSONTests {
    @Test func controlsAndBidiMarksBecomeEscapesAndTheDocumentIsUnchanged() throws {
        let hostile = "ok \u{9B}31mred\u{1B}[2J \u{202E}evil\u{2066} \u{7F}\u{85} done"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(["message": hostile, "plain": "é ✓ 漢字"])
        let printed = TerminalText.escapingJSON(data)
        #expect(!printed.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" })
        #expect(printed.contains(#"\u009B"#) && printed.contains(#"\u202E"#) && printed.contains(#"\u007F"#))
        #expect(printed.contains("é ✓ 漢字"), "other text is left as it is")
        #expect(printed.contains("\n"), "the pretty layout stays")
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(printed.utf8))
        #expect(decoded == ["message": hostile, "plain": "é ✓ 漢字"])
    }
}
