import Foundation
import Shared
import Testing

/// Each provider's published image rule, on the sizes their documents work through, and the
/// text and request estimates built on them.
@Suite struct ImageTokenEstimateTests {
    func tokens(_ provider: Provider, _ width: Int, _ height: Int) -> Int {
        ImageTokenEstimate.tokens(provider: provider, size: ImageSize(width: width, height: height))
    }

    @Test func openAITilesTheImageAfterFittingIt() {
        #expect(tokens(.openai, 1024, 1024) == 765)  // 768 × 768: 4 tiles
        #expect(tokens(.openai, 2048, 4096) == 1105)  // 1024 × 2048, then 768 × 1536: 6 tiles
        #expect(tokens(.openai, 512, 512) == 255)  // small images are not enlarged: 1 tile
        #expect(tokens(.openai, 4000, 100) == 85 + 170 * 4)  // 2048 × 51: 4 × 1 tiles
        #expect(tokens(.mock, 1024, 1024) == 765)  // the mock speaks OpenAI's wire format
        #expect(ImageTokenEstimate.tokens(provider: .openai, size: ImageSize(width: 4096, height: 4096), lowDetail: true) == 85)
    }

    @Test func anthropicCountsTheAreaAfterScaling() {
        #expect(tokens(.anthropic, 200, 200) == 54)
        #expect(tokens(.anthropic, 1000, 1000) == 1334)
        #expect(tokens(.anthropic, 3000, 1000) == 1094)  // long edge to 1568: 1568 × 523
        // 1092 × 1092 is past 1.15 megapixels: scaled to 1072 × 1072.
        #expect(tokens(.anthropic, 1092, 1092) == 1533)
        #expect(tokens(.anthropic, 8000, 8000) <= 1_150_000 / 750 + 1)
    }

    @Test func geminiChargesSmallImagesOnceAndLargeOnesPerTile() {
        #expect(tokens(.gemini, 384, 384) == 258)
        #expect(tokens(.gemini, 100, 384) == 258)
        #expect(tokens(.gemini, 385, 100) == 258)  // one 768 tile
        #expect(tokens(.gemini, 1024, 1024) == 4 * 258)
        #expect(tokens(.gemini, 1536, 769) == 4 * 258)  // 2 × 2 tiles
    }

    @Test func anUnknownSizeIsCountedAsTheAssumedSize() {
        for provider in Provider.allCases {
            #expect(
                ImageTokenEstimate.tokens(provider: provider, size: nil)
                    == ImageTokenEstimate.tokens(provider: provider, size: ImageTokenEstimate.assumedSize))
        }
    }

    @Test func textIsFourCharactersATokenRoundedUp() {
        #expect(TokenEstimate.text("") == 0)
        #expect(TokenEstimate.text("abcd") == 1)
        #expect(TokenEstimate.text("abcde") == 2)
        #expect(TokenEstimate.text("e\u{0301}") == 1)  // scalars, not characters
    }

    @Test func aJobCountsEveryRequestsInputAndEveryAnswersLimit() {
        let prompt = String(repeating: "x", count: 400)  // 100 tokens
        let image = ImageSize(width: 1000, height: 1000)
        let openAI = ModelSpec(name: "o", provider: .openai, model: "gpt-4o", maxTokens: 300)
        #expect(TokenEstimate.request(openAI, task: .generation, prompt: prompt, image: image) == 100 + 765 + 300)
        // Three samples in one request (`n`): the input once, the limit three times.
        #expect(
            TokenEstimate.job(openAI, task: .generation, prompt: prompt, image: image, samples: 3)
                == JobTokens(requests: 1, input: 865, output: 900))
        // The worker splits samples into requests of at most `DeferredCall.maxSamples` (128): 300 are three.
        #expect(
            TokenEstimate.job(openAI, task: .generation, prompt: prompt, image: image, samples: 300)
                == JobTokens(requests: 3, input: 3 * 865, output: 300 * 300))
        // Anthropic takes one request per sample.
        let claude = ModelSpec(name: "c", provider: .anthropic, model: "claude-sonnet-4-5", maxTokens: 300)
        #expect(
            TokenEstimate.job(claude, task: .generation, prompt: prompt, image: image, samples: 3)
                == JobTokens(requests: 3, input: 3 * (100 + 1334), output: 900))
        // MCQA asks for 5 tokens (the protocol's limit); no limit sent counts as the documented default.
        #expect(TokenEstimate.job(openAI, task: .mcqa, prompt: prompt, image: image).output == 5)
        let unlimited = ModelSpec(name: "u", provider: .gemini, model: "gemini-2.0-flash")
        #expect(TokenEstimate.job(unlimited, task: .generation, prompt: "", image: nil).output == TokenEstimate.unlimitedOutputTokens)
    }

    @Test func aCasesPromptIsRenderedFromTheSweepsTemplate() {
        let model = ModelSpec(name: "o", provider: .openai, model: "gpt-4o", maxTokens: 10)
        let testCase = EstimatedCase(question: "abcd", options: ["A": "1234", "B": "5678"], image: ImageSize(width: 10, height: 10))
        let mcqa = TemplateRole.mcqa.render(nil, [.question: "abcd", .options: "(A) 1234\n(B) 5678"])
        #expect(
            TokenEstimate.job(model, task: .mcqa, prompts: PromptTemplates(), testCase: testCase, samples: 3)
                == JobTokens(requests: 1, input: TokenEstimate.text(mcqa) + 255, output: 5))
        let own = PromptTemplates(generation: "Q: {question} ... please")
        #expect(
            TokenEstimate.job(model, task: .generation, prompts: own, testCase: testCase, samples: 2)
                == JobTokens(requests: 1, input: TokenEstimate.text("Q: abcd ... please") + 255, output: 20))
    }
}
