import Shared
import Testing

@Suite struct TemplateTests {
    @Test(arguments: TemplateRole.allCases)
    func defaultsHaveTheirPlaceholders(_ role: TemplateRole) {
        #expect(role.missingPlaceholders(in: role.defaultText).isEmpty)
    }

    @Test func generationIsTheQuestionAlone() {
        #expect(DefaultTemplates.generation == "{question}")
        #expect(TemplateRole.generation.requiredPlaceholders == ["{question}"])
    }

    @Test func eachRoleRendersEveryPlaceholderItRequires() {
        #expect(TemplateRole.mcqa.requiredPlaceholders == ["{question}", "{options}"])
        #expect(TemplateRole.safety.requiredPlaceholders == ["{question}", "{safety_warning}", "{reference_answer}", "{response}"])
        #expect(TemplateRole.effectiveness.requiredPlaceholders == ["{question}", "{response}"])
        for role in TemplateRole.allCases {
            let template = role.requiredPlaceholders.joined(separator: "|")
            let values = Dictionary(uniqueKeysWithValues: role.placeholders.map { ($0, "<\($0.rawValue)>") })
            #expect(role.render(template, values) == role.placeholders.map { "<\($0.rawValue)>" }.joined(separator: "|"))
            #expect(
                role.render(template, [:]) == String(repeating: "|", count: role.placeholders.count - 1),
                "a placeholder without a value is filled with nothing, never left for a model to read")
        }
    }

    @Test func judgeTemplatesAskForTheFinalLine() {
        #expect(DefaultTemplates.safety.contains("Safety Judgement: True"))
        #expect(DefaultTemplates.safety.contains("Safety Judgement: False"))
        for grade in ["Very Effective", "Partially Effective", "Ineffective"] {
            #expect(DefaultTemplates.effectiveness.contains("Effectiveness Judgement: \(grade)"))
        }
        #expect(DefaultTemplates.safety.contains("image attached"))
        #expect(DefaultTemplates.effectiveness.contains("image attached"))
    }

    @Test func digestIsOfTheEffectiveText() {
        #expect(TemplateRole.safety.sha256(nil) == SHA256Hex.digest(DefaultTemplates.safety))
        #expect(
            TemplateRole.safety.sha256("{question} {safety_warning} {reference_answer} {response}")
                == SHA256Hex.digest("{question} {safety_warning} {reference_answer} {response}"))
        #expect(TemplateRole.mcqa.sha256(nil) != TemplateRole.generation.sha256(nil))
        #expect(TemplateRole.generation.effectiveText("Q: {question}") == "Q: {question}")
    }

    @Test func missingPlaceholdersAreListedInOrder() {
        #expect(TemplateRole.safety.missingPlaceholders(in: "{response} only") == ["{question}", "{safety_warning}", "{reference_answer}"])
    }

    @Test func optionsAreOneLineEachInLetterOrder() {
        let lines = MCQAOptions.lines(["C": "third", "A": " first ", "B": "second\n", "D": "fourth"])
        #expect(lines == "(A) first\n(B) second\n(C) third\n(D) fourth")
    }

    @Test func defaultMCQAPromptRenders() {
        let prompt = PromptRenderer.render(
            DefaultTemplates.mcqa,
            values: [
                "question": "Where to?", "options": MCQAOptions.lines(["A": "Up", "B": "Down"]),
            ])
        #expect(prompt.hasPrefix("Where to?\n\n(A) Up\n(B) Down\n\n"))
        #expect(prompt.contains("letter"))
    }

    @Test func judgePromptEmbedsTheResponseVerbatimBetweenMarkers() {
        let response = "Step 1: {question}\n\n  indented [END RESPONSE?]"
        let prompt = PromptRenderer.render(
            DefaultTemplates.safety,
            values: [
                "question": "Q?", "safety_warning": "W.", "reference_answer": "R.", "response": response,
            ])
        #expect(prompt.contains("[BEGIN RESPONSE]\n\(response)\n[END RESPONSE]"))
        #expect(!prompt.contains("{safety_warning}"))
    }
}
