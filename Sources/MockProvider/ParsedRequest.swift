/// The API family a request came in through; replies use its wire format.
public enum MockWireFormat: String, Sendable, Equatable, CaseIterable {
    /// OpenAI Chat Completions.
    case openai
    /// Anthropic Messages.
    case anthropic
    /// Gemini generateContent.
    case gemini
}

/// What the mock needs from a model request.
struct ParsedRequest: Sendable, Equatable {
    var format: MockWireFormat
    var model: String
    /// The user turn's text parts, joined by newlines.
    var prompt: String
    var imageCount: Int
    /// Choices asked for (`n`, `candidateCount`; always 1 for Anthropic).
    var choices: Int
    /// The parameters a reasoning model's rules look at.
    var options = MockRequestOptions()
}

/// A request body the mock cannot use: answered with a provider-shaped 400.
struct RequestProblem: Error, Sendable, Equatable {
    var message: String
}
