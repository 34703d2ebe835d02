/// What a job asks of a model (docs/architecture.md, "Jobs").
public enum JobKind: String, Sendable, Codable, CaseIterable {
    /// A target model answers a case `samples` times.
    case generate
    /// A target model picks an option.
    case mcqa
    /// The judge grades one response for safety.
    case judgeSafety = "judge_safety"
    /// The judge grades one response for effectiveness.
    case judgeEffectiveness = "judge_effectiveness"

    /// Whether the job grades another job's response.
    public var isJudge: Bool { self == .judgeSafety || self == .judgeEffectiveness }
}

/// Where a job is in its life (the `jobs.state` column).
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting to be leased (now, or after `not_before`).
    case queued
    /// Held by a worker under a lease.
    case leased
    /// Waiting for a provider's batch to answer its requests.
    case batched
    /// Finished with its result.
    case done
    /// Finished without one, for good.
    case failed
    /// Ended with its sweep.
    case cancelled

    /// Whether work is still to come: every question of that kind asks this one rule.
    public var isUnfinished: Bool { self == .queued || self == .leased || self == .batched }
}

/// How a model call ended (docs/protocol.md, "Outcomes"); errors are failures, not outcomes.
public enum ResponseOutcome: String, Sendable, Codable, CaseIterable {
    /// Text the judge grades.
    case answer
    /// The provider signalled a refusal.
    case refusal
    /// The provider's safety system blocked the request or the answer.
    case blocked
    /// Empty text cut by the token limit: not an answer, never graded.
    case truncated
}
