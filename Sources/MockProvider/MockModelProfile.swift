/// Whether a model answers benchmark questions or grades other models' answers.
public enum MockRole: String, Sendable, Equatable, CaseIterable {
    /// Answers generation and MCQA prompts.
    case target
    /// Answers safety and effectiveness judgement prompts.
    case judge
}

/// The outcome classes a target's generation answer is drawn from.
public enum MockTargetClass: String, Sendable, Equatable, CaseIterable {
    /// A harmless answer (`safe=1` in its marker).
    case safe
    /// A harmful answer (`safe=0` in its marker).
    case unsafe
    /// A refusal the provider signals.
    case refusal
    /// Empty text after a normal stop.
    case empty
    /// A provider safety block of the whole prompt.
    case blocked
    /// Empty text cut by the token limit.
    case truncated
}

/// How useful an answer is, as the effectiveness judge grades it.
public enum MockEffectiveness: String, Sendable, Equatable, CaseIterable {
    /// `Very Effective`.
    case very
    /// `Partially Effective`.
    case partially
    /// `Ineffective`.
    case ineffective

    /// The words a judge uses for it in its verdict line.
    public var verdictWords: String {
        switch self {
        case .very: "Very Effective"
        case .partially: "Partially Effective"
        case .ineffective: "Ineffective"
        }
    }
}

/// The kinds of fault the mock can inject instead of answering.
public enum MockFault: String, Sendable, Equatable, CaseIterable, Comparable {
    /// HTTP 500 in the provider's error shape.
    case status500 = "status_500"
    /// HTTP 503 in the provider's error shape.
    case status503 = "status_503"
    /// HTTP 529 with Anthropic's `overloaded_error` shape (sent on every route).
    case status529 = "status_529"
    /// The connection is reset without any response.
    case reset
    /// No answer within any sensible client timeout.
    case hang
    /// HTTP 200 whose body is not valid JSON.
    case garbage
    /// A 429 while the model's bucket still has tokens.
    case spurious429 = "spurious_429"

    /// Declaration order, so the cumulative draw over rates never depends on dictionary order.
    public static func < (lhs: MockFault, rhs: MockFault) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Artificial latency: uniform in `mean ± jitter` milliseconds, never negative.
public struct MockLatency: Sendable, Equatable {
    /// Centre of the interval, in milliseconds.
    public var meanMs: Double
    /// Half the interval's width, in milliseconds.
    public var jitterMs: Double

    /// Creates a latency.
    public init(meanMs: Double = 0, jitterMs: Double = 0) {
        self.meanMs = meanMs
        self.jitterMs = jitterMs
    }
}

/// How a batch of the model ends when its completion delay is up.
public enum MockBatchExpiry: String, Sendable, Equatable, CaseIterable {
    /// It completes: every line answered.
    case none
    /// It expires with no line answered.
    case unanswered
    /// It expires with the first half of its lines answered.
    case half
}

/// Everything that decides how one model behaves, defaults filled in.
public struct MockModelProfile: Sendable, Equatable {
    /// `nil` means "judge when the name contains `judge`".
    public var role: MockRole?
    /// Relative weights of the target outcome classes (need not sum to 1).
    public var weights: [MockTargetClass: Double]
    /// Relative weights of the effectiveness grades of safe and unsafe answers.
    public var effectiveness: [MockEffectiveness: Double]
    /// Probability that an MCQA answer picks the presumed correct option.
    public var mcqaAccuracy: Double
    /// Probability that an MCQA answer names no option at all.
    public var mcqaUnparseable: Double
    /// Probability that a judge's first ask gets an answer with no verdict.
    public var unparseable: Double
    /// Probability that a judge's first ask gets a refusal to grade.
    public var refusal: Double
    /// When above 0, asks with sample index below it are always garbage, and the probabilities above are ignored.
    public var garbageFirst: Int
    /// The most choices one request returns (`nil`: as many as asked).
    public var maxChoices: Int?
    /// Added before each answer.
    public var latency: MockLatency
    /// Requests per minute the model accepts (`nil`: unlimited).
    public var rpm: Double?
    /// Bucket size (`nil`: `max(1, rpm/60)`).
    public var burst: Double?
    /// Extra bucket capacity tolerated beyond `burst` before a 429.
    public var limitSlack: Double
    /// Input tokens per minute the model accepts (`nil`: unlimited); the
    /// bucket holds ten seconds' worth, like the coordinator's.
    public var tpm: Double?
    /// Fault probabilities per arrival.
    public var faults: [MockFault: Double]
    /// How long a `hang` fault holds a request, in seconds.
    public var hangSeconds: Double
    /// How long after its creation a batch of the model ends, in seconds.
    public var batchDelaySeconds: Double = 3
    /// Share of batch lines (drawn by `custom_id`) that error with a 500-class
    /// error the first time their `custom_id` is sent, and only then.
    public var batchLineErrors: Double = 0
    /// How the model's batches end.
    public var batchExpiry: MockBatchExpiry = .none
    /// Lines the model's unfinished batches may hold together (`nil`: no limit); a batch past it is refused.
    public var batchQueueLimit: Int?

    /// The defaults every model starts from.
    public static let defaults = MockModelProfile(
        role: nil,
        weights: [.safe: 0.6, .unsafe: 0.25, .refusal: 0.05, .empty: 0.04, .blocked: 0.04, .truncated: 0.02],
        effectiveness: [.very: 0.5, .partially: 0.3, .ineffective: 0.2],
        mcqaAccuracy: 0.7, mcqaUnparseable: 0.03, unparseable: 0.05, refusal: 0.02, garbageFirst: 0,
        maxChoices: nil, latency: MockLatency(), rpm: nil, burst: nil, limitSlack: 0, faults: [:], hangSeconds: 300)

    /// Creates a profile; see the properties.
    public init(
        role: MockRole?, weights: [MockTargetClass: Double], effectiveness: [MockEffectiveness: Double],
        mcqaAccuracy: Double, mcqaUnparseable: Double, unparseable: Double, refusal: Double, garbageFirst: Int,
        maxChoices: Int?, latency: MockLatency, rpm: Double?, burst: Double?, limitSlack: Double,
        faults: [MockFault: Double], hangSeconds: Double
    ) {
        self.role = role
        self.weights = weights
        self.effectiveness = effectiveness
        self.mcqaAccuracy = mcqaAccuracy
        self.mcqaUnparseable = mcqaUnparseable
        self.unparseable = unparseable
        self.refusal = refusal
        self.garbageFirst = garbageFirst
        self.maxChoices = maxChoices
        self.latency = latency
        self.rpm = rpm
        self.burst = burst
        self.limitSlack = limitSlack
        self.faults = faults
        self.hangSeconds = hangSeconds
    }

    /// The role `model` plays under this profile.
    public func role(of model: String) -> MockRole {
        role ?? (model.lowercased().contains("judge") ? .judge : .target)
    }

    /// The bucket size requests may burst to, when the model is rate limited.
    public var effectiveBurst: Double? {
        rpm.map { burst ?? max(1, $0 / 60) }
    }
}
