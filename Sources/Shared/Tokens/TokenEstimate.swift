/// What a request is expected to count against an endpoint's tokens per minute, before it is
/// sent (docs/protocol.md, "Token estimates"): its text at about four characters a token, its
/// image by the provider's rule (`ImageTokenEstimate`), and the most output it asks for, since
/// providers count the requested `max_tokens` against the limit when the request arrives.
/// `siuo run --dry-run` and the tokens stored with each job at submit both use it.
public enum TokenEstimate {
    /// Characters per token in the text rule of thumb the providers publish.
    public static let charactersPerToken = 4
    /// The output assumed for a request that sends no token limit (the model's own default applies).
    public static let unlimitedOutputTokens = 500

    /// `text`'s tokens: its Unicode scalars divided by `charactersPerToken`, rounded up.
    public static func text(_ text: String) -> Int {
        (text.unicodeScalars.count + charactersPerToken - 1) / charactersPerToken
    }

    /// One request's input: the prompt's text and one image.
    public static func input(provider: Provider, prompt: String, image: ImageSize?) -> Int {
        text(prompt) + ImageTokenEstimate.tokens(provider: provider, size: image)
    }

    /// The output a request asks for: its token limit, or `unlimitedOutputTokens` when it sends none.
    public static func output(maxTokens: Int?) -> Int {
        maxTokens ?? unlimitedOutputTokens
    }

    /// One request of `model` for `task` carrying `prompt` and an image of `image`: input plus output.
    public static func request(_ model: ModelSpec, task: RequestTask, prompt: String, image: ImageSize?) -> Int {
        input(provider: model.provider, prompt: prompt, image: image) + output(maxTokens: model.request(for: task).maxTokens)
    }

    /// A job's requests and tokens: `samples` answers of `model` for `task`, sent together when
    /// the model takes several samples at once (`ModelSpec.sendsSamplesTogether`), at most
    /// `DeferredCall.maxSamples` a request as the worker splits them, else one request each.
    /// Every request carries the prompt; every answer may use the whole limit.
    public static func job(_ model: ModelSpec, task: RequestTask, prompt: String, image: ImageSize?, samples: Int = 1) -> JobTokens {
        let requests = model.sendsSamplesTogether ? max(1, (samples + DeferredCall.maxSamples - 1) / DeferredCall.maxSamples) : samples
        return JobTokens(
            requests: requests, input: requests * input(provider: model.provider, prompt: prompt, image: image),
            output: samples * output(maxTokens: model.request(for: task).maxTokens))
    }
}

/// A job's expected requests and tokens (`TokenEstimate.job`).
public struct JobTokens: Sendable, Equatable {
    /// Requests sent, before retries.
    public var requests: Int
    /// Input tokens over all of them.
    public var input: Int
    /// Output tokens asked for over all of them (an upper bound).
    public var output: Int

    /// Creates an estimate.
    public init(requests: Int, input: Int, output: Int) {
        self.requests = requests
        self.input = input
        self.output = output
    }

    /// Input and output together: what the job counts against the endpoint's tokens per minute.
    public var total: Int { input + output }
}

extension ModelSpec {
    /// Whether several samples of one prompt go in one request (`n`, `candidateCount`):
    /// `multi_sample` is on and the provider has such a member (Anthropic has none).
    public var sendsSamplesTogether: Bool {
        multiSample && provider != .anthropic
    }
}
