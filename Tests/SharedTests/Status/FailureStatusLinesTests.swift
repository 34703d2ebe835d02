import Foundation
import Shared
import Testing

/// Failed jobs as `sweep status` and the live views show them, and provider text made safe to print.
@Suite struct FailureStatusLinesTests {
    @Test func escapeSequencesAndControlCharactersNeverReachTheTerminal() {
        #expect(TerminalText.safe("plain text: ok") == "plain text: ok")
        #expect(TerminalText.safe("\u{1B}[2J\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(TerminalText.safe("a\u{1B}]0;new title\u{07}b") == "ab")  // OSC, ended by BEL
        #expect(TerminalText.safe("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")  // OSC 8, ended by ST
        #expect(TerminalText.safe("a\u{1B}Pq#0;2;0;0;0\u{1B}\\b") == "ab")  // DCS (sixel)
        #expect(TerminalText.safe("a\u{9B}31mb\u{9D}title\u{9C}c") == "abc")  // 8-bit CSI and OSC
        #expect(TerminalText.safe("line one\nline two\r\tend") == "line one line two  end")
        #expect(TerminalText.safe("bell\u{07} null\u{00} del\u{7F} back\u{08}") == "bell null del back")
        #expect(TerminalText.safe("\u{202E}evil\u{202C} \u{2066}x\u{2069}") == "evil x")
        #expect(TerminalText.safe("emoji 👍🏽 and é stay") == "emoji 👍🏽 and é stay")
        #expect(TerminalText.safe("cut short \u{1B}[31") == "cut short ")
        #expect(TerminalText.safe("\u{1B}") == "")
        // A broken sequence does not swallow the text after it.
        #expect(TerminalText.safe("\u{1B}[\u{1B}[1mbold") == "bold")
    }

    @Test func eachModelShowsItsFailedCountAndItsRecentErrors() {
        let lines = FailureStatusLines.lines([
            ModelFailures(
                model: "gpt-4o", failed: 7,
                errors: [
                    FailureError(message: "HTTP 400: the model refuses `temperature`", count: 4),
                    FailureError(message: "HTTP 401: invalid \u{1B}[31mkey\u{1B}[0m\nsecond line", count: 2),
                ]),
            ModelFailures(model: "judge", failed: 1, errors: [FailureError(message: "lease expired", count: 1)]),
            ModelFailures(model: "quiet", failed: 0, errors: []),
        ])
        #expect(
            lines == [
                "  failed: gpt-4o 7 jobs",
                "    4× HTTP 400: the model refuses `temperature`",
                "    2× HTTP 401: invalid key second line",
                "    1 with other errors",
                "  failed: judge 1 job",
                "    1× lease expired",
            ])
        #expect(FailureStatusLines.lines([]).isEmpty)
    }

    @Test func aLongErrorIsCut() {
        let long = String(repeating: "é", count: 1000)
        let line = FailureStatusLines.lines([ModelFailures(model: "m", failed: 1, errors: [FailureError(message: long, count: 1)])])[1]
        #expect(line.hasSuffix("…"))
        #expect(line.count == "    1× ".count + ModelFailures.errorLength)
    }

    @Test func statusWithoutFailuresReadsAsBefore() throws {
        let old =
            #"{"name": "s", "state": "running", "jobs": {"total": 1, "queued": 1, "leased": 0, "batched": 0, "done": 0, "failed": 0, "cancelled": 0}, "models": {}}"#
        let status = try WireCoding.decoder().decode(SweepStatus.self, from: Data(old.utf8))
        #expect(status.failures.isEmpty)
        let encoded = try JSONSerialization.jsonObject(with: try WireCoding.encoder().encode(status)) as? [String: Any]
        #expect((encoded?["failures"] as? [Any])?.isEmpty == true)
    }
}
