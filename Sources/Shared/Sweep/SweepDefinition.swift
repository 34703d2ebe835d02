/// A sweep file (docs/architecture.md, "Sweep files and identity") after parsing, defaults applied and validated.
public struct SweepDefinition: Sendable, Equatable, Codable {
    /// The sweep's identity: re-submitting the same name resumes it.
    public var name: String
    /// The dataset the cases come from.
    public var dataset: DatasetReference
    /// Which tasks run; never empty.
    public var tasks: [SweepTask]
    /// Responses per generation case (≥ 1).
    public var samples: Int
    /// A subset of the dataset's categories, verbatim; empty means all.
    public var categories: [String]
    /// Seed for the bootstrap and any sampling.
    public var seed: Int
    /// Whether answers may come from the response cache.
    public var cache: Bool
    /// Separates replicate runs in the cache.
    public var cacheNamespace: String
    /// Lease time-to-live in seconds (> 0).
    public var leaseTTLSeconds: Int
    /// Leases that may end in failure before a job fails for good (> 0).
    public var maxAttempts: Int
    /// Stop leasing once the sweep's spend reaches this, where prices are given.
    public var budgetUSD: Double?
    /// The generation and MCQA prompt templates (texts, read at submit).
    public var prompts: PromptTemplates
    /// The models under test, in file order; names are unique.
    public var models: [ModelSpec]
    /// The judge; required when `tasks` includes generation.
    public var judge: ModelSpec?
    /// Asked when the judge refuses or stays unparseable.
    public var fallbackJudge: ModelSpec?
    /// Grades every gradable response beside the judge, for judge-vs-judge agreement; its
    /// verdicts never change the score (docs/protocol.md, "Two judges").
    public var secondJudge: ModelSpec?

    /// The defaults of a sweep file's top-level fields, for the parser and `init` alike.
    public enum Defaults {
        /// `samples`.
        public static let samples = 3
        /// `seed`.
        public static let seed = 1
        /// `cache`.
        public static let cache = true
        /// `lease_ttl_s`.
        public static let leaseTTLSeconds = 60
        /// `max_attempts`.
        public static let maxAttempts = 5
    }

    /// Creates a definition; `SweepFileParser` is the usual way to get one.
    public init(
        name: String, dataset: DatasetReference, tasks: [SweepTask] = SweepTask.allCases, samples: Int = Defaults.samples,
        categories: [String] = [], seed: Int = Defaults.seed, cache: Bool = Defaults.cache, cacheNamespace: String = "",
        leaseTTLSeconds: Int = Defaults.leaseTTLSeconds, maxAttempts: Int = Defaults.maxAttempts, budgetUSD: Double? = nil,
        prompts: PromptTemplates = PromptTemplates(), models: [ModelSpec], judge: ModelSpec? = nil,
        fallbackJudge: ModelSpec? = nil, secondJudge: ModelSpec? = nil
    ) {
        self.name = name
        self.dataset = dataset
        self.tasks = tasks
        self.samples = samples
        self.categories = categories
        self.seed = seed
        self.cache = cache
        self.cacheNamespace = cacheNamespace
        self.leaseTTLSeconds = leaseTTLSeconds
        self.maxAttempts = maxAttempts
        self.budgetUSD = budgetUSD
        self.prompts = prompts
        self.models = models
        self.judge = judge
        self.fallbackJudge = fallbackJudge
        self.secondJudge = secondJudge
    }
}

extension SweepDefinition {
    /// The judge, the fallback judge and the second judge, those the sweep names, in that order.
    public var judges: [ModelSpec] { [judge, fallbackJudge, secondJudge].compactMap { $0 } }
}

/// The two SIUO tasks.
public enum SweepTask: String, Sendable, Codable, CaseIterable {
    /// Open-ended answers graded by the judge.
    case generation
    /// Multiple choice, scored against `correct_option`.
    case mcqa
}

/// Which dataset a sweep runs on, and where its files are when `siuo run` imports them.
public struct DatasetReference: Sendable, Equatable, Codable {
    /// The imported dataset's name.
    public var name: String
    /// `siuo_gen.json`, resolved against the sweep file's folder.
    public var generationFile: String?
    /// `siuo_mcqa.json`, resolved against the sweep file's folder.
    public var mcqaFile: String?
    /// The images folder, resolved against the sweep file's folder.
    public var imagesFolder: String?

    /// Creates a reference.
    public init(name: String, generationFile: String? = nil, mcqaFile: String? = nil, imagesFolder: String? = nil) {
        self.name = name
        self.generationFile = generationFile
        self.mcqaFile = mcqaFile
        self.imagesFolder = imagesFolder
    }
}

/// Template texts; `nil` means the project's default for that role.
public struct PromptTemplates: Sendable, Equatable, Codable {
    /// The generation prompt (placeholder `{question}`).
    public var generation: String?
    /// The MCQA prompt (placeholders `{question}`, `{options}`).
    public var mcqa: String?

    /// Creates a set of templates.
    public init(generation: String? = nil, mcqa: String? = nil) {
        self.generation = generation
        self.mcqa = mcqa
    }
}

/// The API family a model is reached through (docs/architecture.md, "Providers").
public enum Provider: String, Sendable, Codable, CaseIterable {
    /// OpenAI Chat Completions (also vLLM, Ollama, LM Studio, OpenRouter, Azure-style).
    case openai
    /// Anthropic Messages.
    case anthropic
    /// Google Gemini generateContent.
    case gemini
    /// `siuo mock-provider`, speaking the OpenAI wire format.
    case mock

    /// The base URL each official SDK uses.
    public var defaultBaseURL: String {
        switch self {
        case .openai: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com"
        case .gemini: "https://generativelanguage.googleapis.com"
        case .mock: "http://127.0.0.1:8787/v1"
        }
    }

    /// The environment variable workers read the key from, unless the sweep names another.
    public var defaultAPIKeyEnvironment: String? {
        switch self {
        case .openai: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        case .gemini: "GEMINI_API_KEY"
        case .mock: nil
        }
    }

    /// Variables workers also read, in order, when the default is unset and the
    /// sweep names no other (Google's tools read `GOOGLE_API_KEY`).
    public var alternativeAPIKeyEnvironments: [String] {
        switch self {
        case .gemini: ["GOOGLE_API_KEY"]
        case .openai, .anthropic, .mock: []
        }
    }
}

/// Prices for cost estimates, in US dollars per million tokens.
public struct Price: Sendable, Equatable, Codable {
    /// Dollars per million input tokens.
    public var inputPerMTok: Double
    /// Dollars per million output tokens.
    public var outputPerMTok: Double
    /// The share taken off requests sent through a batch API (`price.batch_discount`, 0.5 by default).
    public var batchDiscount: Double

    /// The providers' batch discount: half price.
    public static let defaultBatchDiscount = 0.5

    /// Creates a price.
    public init(inputPerMTok: Double, outputPerMTok: Double, batchDiscount: Double = Price.defaultBatchDiscount) {
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
        self.batchDiscount = batchDiscount
    }

    enum CodingKeys: String, CodingKey {
        case inputPerMTok, outputPerMTok, batchDiscount
    }

    /// Reads a price; sweeps stored before batch mode have no discount (the default applies).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            inputPerMTok: try container.decode(Double.self, forKey: .inputPerMTok),
            outputPerMTok: try container.decode(Double.self, forKey: .outputPerMTok),
            batchDiscount: try container.decodeIfPresent(Double.self, forKey: .batchDiscount) ?? Price.defaultBatchDiscount)
    }
}

/// How an endpoint's requests go through its provider's batch API (docs/architecture.md, "Batch mode").
/// Operational: every field may change on resubmit.
public struct BatchSettings: Sendable, Equatable, Codable {
    /// Lines per batch at most (`batch_max_requests`).
    public var maxRequests: Int
    /// Bytes per batch at most (`batch_max_bytes`), the request file or body as sent.
    public var maxBytes: Int
    /// How long lines gather before a partial batch is submitted (`batch_max_wait`, seconds).
    public var maxWaitSeconds: Double
    /// How long a batch may take before it is cancelled and its rest runs live (`batch_deadline`, seconds).
    public var deadlineSeconds: Double

    /// Creates settings.
    public init(maxRequests: Int, maxBytes: Int, maxWaitSeconds: Double = 60, deadlineSeconds: Double = 86_400) {
        self.maxRequests = maxRequests
        self.maxBytes = maxBytes
        self.maxWaitSeconds = maxWaitSeconds
        self.deadlineSeconds = deadlineSeconds
    }

    /// Each provider's documented limits: OpenAI 50,000 lines and 200 MB per
    /// file, Anthropic 100,000 requests and 256 MB, Gemini inline requests up
    /// to 20 MB (the mock speaks OpenAI's wire and takes its limits).
    public static func defaults(for provider: Provider) -> BatchSettings {
        switch provider {
        case .openai, .mock: BatchSettings(maxRequests: 50_000, maxBytes: 200 * 1_000_000)
        case .anthropic: BatchSettings(maxRequests: 100_000, maxBytes: 256 * 1_000_000)
        case .gemini: BatchSettings(maxRequests: 50_000, maxBytes: 20 * 1_000_000)
        }
    }
}

/// One model entry: a target model, the judge or the fallback judge.
public struct ModelSpec: Sendable, Equatable, Codable {
    /// The label in reports; unique within a sweep.
    public var name: String
    /// The API family.
    public var provider: Provider
    /// The provider's model id.
    public var model: String
    /// The endpoint; the provider's default when the file gives none.
    public var baseURL: String
    /// The variable holding the key, read by workers only; `nil` for `mock`.
    public var apiKeyEnvironment: String?
    /// Sampling temperature for generation (judges: for grading).
    public var temperature: Double?
    /// Output token limit for generation (judges: for grading).
    public var maxTokens: Int?
    /// Temperature for MCQA (official protocol: 0).
    public var mcqaTemperature: Double?
    /// Output token limit for MCQA (official protocol: 5).
    public var mcqaMaxTokens: Int?
    /// Requests per minute; adaptive when `nil`.
    public var rpm: Double?
    /// Tokens per minute.
    public var tpm: Double?
    /// Requests a bucket may release at once; default `max(1, rpm/60)`.
    public var burst: Double?
    /// Concurrent requests allowed.
    public var maxInFlight: Int?
    /// Use `n` / `candidateCount` for several samples in one request.
    public var multiSample: Bool
    /// Passed through into the request body, over what the profile builds.
    public var params: [String: JSONValue]
    /// `reasoning: true|false`: overrides the profile table (`nil`: the table decides).
    public var reasoning: Bool?
    /// `thinking_budget`: tokens the model may think, added to each task's answer limit
    /// and sent as the provider's budget where it has one (`nil`: not asked).
    public var thinkingBudget: Int?
    /// For cost estimates and `budget_usd`.
    public var price: Price?
    /// Judges only: the safety template text (`nil`: the default).
    public var safetyPrompt: String?
    /// Judges only: the effectiveness template text (`nil`: the default).
    public var effectivenessPrompt: String?
    /// Send requests through the provider's batch API (`nil`: live).
    public var batch: BatchSettings?

    /// Creates a model entry with the provider's defaults.
    public init(
        name: String, provider: Provider, model: String, baseURL: String? = nil, apiKeyEnvironment: String? = nil,
        temperature: Double? = nil, maxTokens: Int? = nil, mcqaTemperature: Double? = nil, mcqaMaxTokens: Int? = nil,
        rpm: Double? = nil, tpm: Double? = nil, burst: Double? = nil, maxInFlight: Int? = nil,
        multiSample: Bool = true, params: [String: JSONValue] = [:], reasoning: Bool? = nil, thinkingBudget: Int? = nil,
        price: Price? = nil, safetyPrompt: String? = nil, effectivenessPrompt: String? = nil, batch: BatchSettings? = nil
    ) {
        self.name = name
        self.provider = provider
        self.model = model
        self.baseURL = baseURL ?? provider.defaultBaseURL
        self.apiKeyEnvironment = apiKeyEnvironment ?? provider.defaultAPIKeyEnvironment
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.mcqaTemperature = mcqaTemperature
        self.mcqaMaxTokens = mcqaMaxTokens
        self.rpm = rpm
        self.tpm = tpm
        self.burst = burst
        self.maxInFlight = maxInFlight
        self.multiSample = multiSample
        self.params = params
        self.reasoning = reasoning
        self.thinkingBudget = thinkingBudget
        self.price = price
        self.safetyPrompt = safetyPrompt
        self.effectivenessPrompt = effectivenessPrompt
        self.batch = batch
    }

    /// The bucket this model's requests draw from (docs/architecture.md, "Rate limits").
    public var endpointKey: EndpointKey {
        EndpointKey(provider: provider, baseURL: baseURL, model: model)
    }
}

/// `(provider, base_url, model)`: one rate bucket, shared by every sweep and role.
public struct EndpointKey: Sendable, Hashable, Codable {
    /// The API family.
    public var provider: Provider
    /// The endpoint.
    public var baseURL: String
    /// The provider's model id.
    public var model: String

    /// Creates a key.
    public init(provider: Provider, baseURL: String, model: String) {
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
    }
}
