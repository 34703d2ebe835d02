/// `siuo sweep status NAME --json` and `GET /v1/sweeps/{name}` (docs/protocol.md, "The report").
public struct SweepStatus: Sendable, Codable, Equatable {
    /// The sweep's name.
    public var name: String
    /// Where the sweep is.
    public var state: SweepState
    /// Jobs by state.
    public var jobs: JobCounts
    /// Model → job kind → counts; judge jobs count under the model they grade.
    public var models: [String: [String: KindCounts]]
    /// Dollars spent so far (where the sweep gives prices).
    public var spentUSD: Double
    /// The sweep's `budget_usd`, if any.
    public var budgetUSD: Double?
    /// The sweep's batches at the providers, oldest first (empty for a live sweep).
    public var batches: [BatchSummary]
    /// The rates in force on the sweep's endpoints and where they come from.
    public var limits: [EndpointLimit]
    /// Per model called, its jobs that failed for good and their most recent distinct errors;
    /// models without failures are left out.
    public var failures: [ModelFailures]

    /// Creates a status.
    public init(
        name: String, state: SweepState, jobs: JobCounts, models: [String: [String: KindCounts]], spentUSD: Double = 0, budgetUSD: Double? = nil,
        batches: [BatchSummary] = [], limits: [EndpointLimit] = [], failures: [ModelFailures] = []
    ) {
        self.name = name
        self.state = state
        self.jobs = jobs
        self.models = models
        self.spentUSD = spentUSD
        self.budgetUSD = budgetUSD
        self.batches = batches
        self.limits = limits
        self.failures = failures
    }

    /// Whether the budget stopped new leases while jobs still wait.
    public var budgetReached: Bool {
        guard let budgetUSD else { return false }
        return spentUSD >= budgetUSD && jobs.queued > 0
    }

    enum CodingKeys: String, CodingKey {
        case name, state, jobs, models, spentUSD = "spent_usd", budgetUSD = "budget_usd", batches, limits, failures
    }

    /// Reads a status; the spending fields are optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name), state: try container.decode(SweepState.self, forKey: .state),
            jobs: try container.decode(JobCounts.self, forKey: .jobs),
            models: try container.decode([String: [String: KindCounts]].self, forKey: .models),
            spentUSD: try container.decodeIfPresent(Double.self, forKey: .spentUSD) ?? 0,
            budgetUSD: try container.decodeIfPresent(Double.self, forKey: .budgetUSD),
            batches: try container.decodeIfPresent([BatchSummary].self, forKey: .batches) ?? [],
            limits: try container.decodeIfPresent([EndpointLimit].self, forKey: .limits) ?? [],
            failures: try container.decodeIfPresent([ModelFailures].self, forKey: .failures) ?? [])
    }
}

/// Jobs by state.
public struct JobCounts: Sendable, Codable, Equatable {
    /// Every job.
    public var total = 0
    /// Waiting to be leased.
    public var queued = 0
    /// Held by a worker.
    public var leased = 0
    /// Waiting for a provider's batch to answer.
    public var batched = 0
    /// Finished with a result.
    public var done = 0
    /// Finished without one, for good.
    public var failed = 0
    /// Cancelled with their sweep.
    public var cancelled = 0

    /// Creates counts.
    public init(total: Int = 0, queued: Int = 0, leased: Int = 0, batched: Int = 0, done: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        self.total = total
        self.queued = queued
        self.leased = leased
        self.batched = batched
        self.done = done
        self.failed = failed
        self.cancelled = cancelled
    }

    /// Jobs whose work is still to come (`JobState.isUnfinished`).
    public var unfinished: Int {
        JobState.allCases.filter(\.isUnfinished).reduce(0) { $0 + count($1) }
    }

    /// The jobs in `state`.
    public func count(_ state: JobState) -> Int {
        switch state {
        case .queued: queued
        case .leased: leased
        case .batched: batched
        case .done: done
        case .failed: failed
        case .cancelled: cancelled
        }
    }

    /// Adds `count` jobs in `state`.
    public mutating func add(_ count: Int, state: JobState) {
        total += count
        switch state {
        case .queued: queued += count
        case .leased: leased += count
        case .batched: batched += count
        case .done: done += count
        case .failed: failed += count
        case .cancelled: cancelled += count
        }
    }
}

/// Jobs of one kind for one model, with what the live view shows of them.
public struct KindCounts: Sendable, Codable, Equatable {
    /// Every job.
    public var total = 0
    /// Finished with a result.
    public var done = 0
    /// Finished without one, for good.
    public var failed = 0
    /// Provider requests that were retries.
    public var retries = 0
    /// Input and output tokens reported.
    public var tokens = 0
    /// Responses the provider signalled as refusals.
    public var refusals = 0
    /// Responses the provider's safety system blocked.
    public var blocked = 0
    /// Verdicts that stayed unknown (judge jobs only).
    public var judgeFailures = 0

    /// Creates counts.
    public init(
        total: Int = 0, done: Int = 0, failed: Int = 0, retries: Int = 0, tokens: Int = 0, refusals: Int = 0,
        blocked: Int = 0, judgeFailures: Int = 0
    ) {
        self.total = total
        self.done = done
        self.failed = failed
        self.retries = retries
        self.tokens = tokens
        self.refusals = refusals
        self.blocked = blocked
        self.judgeFailures = judgeFailures
    }

    enum CodingKeys: String, CodingKey {
        case total, done, failed, retries, tokens, refusals, blocked, judgeFailures = "judge_failures"
    }

    /// Reads counts; the detail fields are optional (the status in docs/protocol.md, "The report",
    /// promises only `total` and `done`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        self.init(
            total: try count(.total), done: try count(.done), failed: try count(.failed), retries: try count(.retries),
            tokens: try count(.tokens), refusals: try count(.refusals), blocked: try count(.blocked),
            judgeFailures: try count(.judgeFailures))
    }
}

/// One batch at a provider, as `sweep status` and `siuo run` show it.
public struct BatchSummary: Sendable, Codable, Equatable {
    /// The coordinator's id for it.
    public var id: Int64
    /// The model (report label) whose requests it holds.
    public var model: String
    /// The provider's id, once submitted.
    public var providerBatchID: String?
    /// Where the coordinator has it.
    public var state: BatchState
    /// The provider's own word for its state (`in_progress`, `ended`, `BATCH_STATE_RUNNING`, ...).
    public var providerState: String?
    /// Lines the provider has answered (successfully or with an error).
    public var linesDone: Int
    /// Lines that ended in an error.
    public var linesFailed: Int
    /// Lines in the batch.
    public var linesTotal: Int
    /// Seconds since the batch was formed.
    public var ageSeconds: Double

    /// Creates a summary.
    public init(
        id: Int64, model: String, providerBatchID: String?, state: BatchState, providerState: String?, linesDone: Int, linesFailed: Int,
        linesTotal: Int, ageSeconds: Double
    ) {
        self.id = id
        self.model = model
        self.providerBatchID = providerBatchID
        self.state = state
        self.providerState = providerState
        self.linesDone = linesDone
        self.linesFailed = linesFailed
        self.linesTotal = linesTotal
        self.ageSeconds = ageSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, model, providerBatchID = "provider_batch_id", state, providerState = "provider_state", linesDone = "lines_done"
        case linesFailed = "lines_failed", linesTotal = "lines_total", ageSeconds = "age_seconds"
    }
}

/// The rates in force on one endpoint of a sweep, as the live views show them.
public struct EndpointLimit: Sendable, Codable, Equatable {
    /// The provider's model id.
    public var model: String
    /// The API family.
    public var provider: Provider
    /// Requests per minute in force.
    public var rpm: Double
    /// Where the request rate comes from: `configured`, `headers` or `probed`.
    public var rpmSource: String
    /// Model tokens per minute in force, when there is a token rate.
    public var tpm: Double?
    /// Where the token rate comes from, when there is one.
    public var tpmSource: String?

    /// Creates a limit.
    public init(model: String, provider: Provider, rpm: Double, rpmSource: String, tpm: Double? = nil, tpmSource: String? = nil) {
        self.model = model
        self.provider = provider
        self.rpm = rpm
        self.rpmSource = rpmSource
        self.tpm = tpm
        self.tpmSource = tpmSource
    }

    enum CodingKeys: String, CodingKey {
        case model, provider, rpm, rpmSource = "rpm_source", tpm, tpmSource = "tpm_source"
    }

    /// One line for the live views: `limits: gpt-4o 475/min (headers), 190k tokens/min (headers); judge …`; none without limits.
    public static func lines(_ limits: [EndpointLimit], indent: String = "  ") -> [String] {
        limits.isEmpty ? [] : [indent + "limits: " + limits.map(\.line).joined(separator: "; ")]
    }

    /// `gpt-4o 475/min (headers), 190k tokens/min (headers)`.
    public var line: String {
        var text = "\(model) \(Int(rpm.rounded()))/min (\(rpmSource))"
        if let tpm, let tpmSource {
            text += ", \(tpm >= 10_000 ? "\(Int((tpm / 1000).rounded()))k" : "\(Int(tpm.rounded()))") tokens/min (\(tpmSource))"
        }
        return text
    }
}
