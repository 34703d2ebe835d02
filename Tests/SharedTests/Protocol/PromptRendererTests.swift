import Shared
import Testing

@Suite struct PromptRendererTests {
    @Test func substitutesEveryOccurrence() {
        #expect(PromptRenderer.render("{a} and {a}, {b}", values: ["a": "x", "b": "y"]) == "x and x, y")
    }

    @Test func substitutedValuesAreNotExpandedAgain() {
        let rendered = PromptRenderer.render(
            "Q: {question}\nR: {response}",
            values: ["question": "say {response}", "response": "I said {question}"])
        #expect(rendered == "Q: say {response}\nR: I said {question}")
    }

    @Test func unknownPlaceholdersAndStrayBracesStay() {
        #expect(PromptRenderer.render("{unknown} {question} { } {", values: ["question": "Q"]) == "{unknown} Q { } {")
        #expect(PromptRenderer.render("}{question}}", values: ["question": "Q"]) == "}Q}")
        #expect(PromptRenderer.render(#"JSON: {"a": 1} {question}"#, values: ["question": "Q"]) == #"JSON: {"a": 1} Q"#)
    }

    @Test func doubledBracesKeepTheOuterPair() {
        #expect(PromptRenderer.render("{{question}}", values: ["question": "Q"]) == "{Q}")
    }

    @Test func adjacentPlaceholdersAndUnicode() {
        #expect(PromptRenderer.render("{a}{b}", values: ["a": "é", "b": "🙂"]) == "é🙂")
        #expect(PromptRenderer.render("« {question} »", values: ["question": "日本"]) == "« 日本 »")
    }

    @Test func emptyValuesAndTemplates() {
        #expect(PromptRenderer.render("", values: ["a": "x"]) == "")
        #expect(PromptRenderer.render("[{a}]", values: ["a": ""]) == "[]")
        #expect(PromptRenderer.render("no placeholders", values: [:]) == "no placeholders")
    }

    @Test func namesMayBeAnyTextAndAnUnclosedBraceStays() {
        #expect(PromptRenderer.render("{naïve} «{日本}» {question", values: ["naïve": "n", "日本": "j", "question": "Q"]) == "n «j» {question")
        #expect(PromptRenderer.render("{question}{", values: ["question": "Q"]) == "Q{")
    }

    @Test func keysAreBareNames() {
        #expect(PromptRenderer.render("{question}", values: ["{question}": "Q"]) == "{question}")
    }
}
