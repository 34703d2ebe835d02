import Logging
import Testing

@testable import Worker

/// The text log format never lets provider text drive the terminal.
@Suite struct TerminalSafeLogHandlerTests {
    static let hostile = "HTTP 400: \u{1B}]0;pwned\u{07}\u{1B}[31mred\u{1B}[0m\nnext \u{202E}line"

    @Test func everyStringInAMetadataValueIsMadeSafe() {
        let value = TerminalSafeLogHandler.safe(
            .dictionary(["error": .string(Self.hostile), "list": .array([.stringConvertible(Self.hostile)])]))
        guard case .dictionary(let values) = value, case .string(let error)? = values["error"],
            case .array(let list)? = values["list"], case .string(let item)? = list.first
        else {
            Issue.record("the value changed shape: \(value)")
            return
        }
        for text in [error, item] {
            #expect(text == "HTTP 400: red next line")
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
        }
    }

    @Test func theHandlersOwnMetadataIsMadeSafeAsItIsSet() {
        var handler = TerminalSafeLogHandler(label: "test")
        handler[metadataKey: "error"] = .string(Self.hostile)
        handler.metadata["other"] = .string("a\u{1B}[2Jb")
        #expect(handler[metadataKey: "error"] == .string("HTTP 400: red next line"))
        #expect(handler[metadataKey: "other"] == .string("ab"))
    }

    @Test func aMetadataProvidersValuesAreMadeSafeAsTheyAreRead() {
        var handler = TerminalSafeLogHandler(label: "test")
        handler.metadataProvider = Logger.MetadataProvider { ["error": .string(Self.hostile)] }
        #expect(handler.metadataProvider?.get()["error"] == .string("HTTP 400: red next line"))
    }
}
