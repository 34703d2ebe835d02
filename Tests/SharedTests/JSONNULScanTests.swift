import Shared
import Testing

/// The one-pass look for the escape `\u0000` that runs on every request body.
@Suite struct JSONNULScanTests {
    @Test(arguments: [
        (#"{"a":"\u0000"}"#, true),
        (#"\u0000"#, true),
        (#"{"a":"x\\\u0000"}"#, true),
        (#"{"a":"\u00001"}"#, true),
        (#"{"a":"\\u0000"}"#, false),
        (#"{"a":"\u0001 \u000"}"#, false),
        (#"{"a":"u0000"}"#, false),
        (#"\"#, false),
        ("", false),
    ])
    func findsTheEscapeOnlyWhereItIsOne(json: String, hasNUL: Bool) {
        #expect(JSONNULScan.containsEscapedNUL(Array(json.utf8)) == hasNUL, "\(json)")
    }
}
