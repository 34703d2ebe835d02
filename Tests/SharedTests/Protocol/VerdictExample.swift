import Shared
import Testing

/// One judge answer and the verdict it must parse to, named for test output.
struct VerdictExample: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let expected: ParsedVerdict?

    init(_ name: String, _ text: String, _ expected: ParsedVerdict?) {
        self.name = name
        self.text = text
        self.expected = expected
    }

    var testDescription: String { name }
}
