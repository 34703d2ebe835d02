import Foundation

/// `POST /v1/leases`: a worker asks for up to `max_jobs` jobs on the endpoints
/// whose keys it holds, waiting up to `wait_ms` for work.
public struct LeaseRequest: Sendable, Codable, Equatable {
    /// The worker's stable id for this process.
    public var workerID: String
    /// Endpoints the worker can call.
    public var endpoints: [EndpointKey]
    /// The most jobs to hand out.
    public var maxJobs: Int
    /// The most jobs one lease request may ask for.
    public static let maxJobsLimit = 1000
    /// How long to wait for work before answering with none.
    public var waitMilliseconds: Int

    /// Creates a request.
    public init(workerID: String, endpoints: [EndpointKey], maxJobs: Int, waitMilliseconds: Int = 0) {
        self.workerID = workerID
        self.endpoints = endpoints
        self.maxJobs = maxJobs
        self.waitMilliseconds = waitMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case workerID = "worker_id", endpoints, maxJobs = "max_jobs", waitMilliseconds = "wait_ms"
    }
}

/// A job handed to a worker, with everything needed to run it. It travels
/// inside a `LeaseGrant`, which sends each model's settings once.
public struct JobLease: Sendable, Equatable {
    /// The job.
    public var jobID: Int64
    /// Fences every write about this lease.
    public var leaseToken: UUID
    /// When the lease lapses unless heartbeats extend it.
    public var expiresAt: Date
    /// What to do.
    public var kind: JobKind
    /// The sweep's name.
    public var sweep: String
    /// 1 for the first lease of the job, then one more per lease.
    public var attempt: Int
    /// The model to call, without secrets (workers read keys from their environment).
    public var model: ModelSpec
    /// The case.
    public var testCase: LeasedCase
    /// Responses the job must end with (generate: the sweep's `samples`).
    public var samples: Int
    /// Sample indexes already stored from earlier leases: ask only for the others.
    public var samplesReceived: [Int]
    /// For judge jobs: the response to grade.
    public var response: GradedResponse?
    /// The template text for this job's prompt; `nil` means the project's default.
    public var template: String?
    /// Judge jobs: the sweep's fallback judge, asked when the judge refuses or
    /// stays unparseable (its own prompts are in its settings).
    public var fallbackModel: ModelSpec?
    /// Rate tokens this lease carries: requests the worker may send without asking for permits.
    public var permits: Int
    /// The sweep's response-cache namespace; `nil` when the sweep does not use the cache.
    public var cacheNamespace: String?
    /// The lease's lifetime in seconds, as the coordinator counts it: workers pace
    /// heartbeats by it rather than by `expiresAt` read against their own clock.
    public var ttlSeconds: Int?
    /// The job is in the batch lane: requests with no reply below are
    /// deferred to a provider batch instead of sent live (docs/architecture.md, "Batch mode").
    public var viaBatch: Bool
    /// Answers a provider's batch gave this job's requests, by `custom_id`;
    /// decoded by the live codecs as if the live route had answered.
    public var batchReplies: [BatchReply]

    /// Creates a lease.
    public init(
        jobID: Int64, leaseToken: UUID, expiresAt: Date, kind: JobKind, sweep: String, attempt: Int, model: ModelSpec,
        testCase: LeasedCase, samples: Int, samplesReceived: [Int], response: GradedResponse?, template: String?, fallbackModel: ModelSpec? = nil,
        permits: Int,
        cacheNamespace: String? = nil, ttlSeconds: Int? = nil, viaBatch: Bool = false, batchReplies: [BatchReply] = []
    ) {
        self.jobID = jobID
        self.leaseToken = leaseToken
        self.expiresAt = expiresAt
        self.kind = kind
        self.sweep = sweep
        self.attempt = attempt
        self.model = model
        self.testCase = testCase
        self.samples = samples
        self.samplesReceived = samplesReceived
        self.response = response
        self.template = template
        self.fallbackModel = fallbackModel
        self.permits = permits
        self.cacheNamespace = cacheNamespace
        self.ttlSeconds = ttlSeconds
        self.viaBatch = viaBatch
        self.batchReplies = batchReplies
    }

    /// Where this lease's writes are fenced.
    public var reference: LeaseReference { LeaseReference(jobID: jobID, leaseToken: leaseToken) }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", leaseToken = "lease_token", expiresAt = "expires_at", kind, sweep, attempt
        case modelIndex = "model", testCase = "case", samples, samplesReceived = "samples_received", response, template
        case fallbackIndex = "fallback_model", permits, cacheNamespace = "cache_namespace", ttlSeconds = "ttl_s"
        case viaBatch = "via_batch", batchReplies = "batch_replies"
    }

    /// Writes every field; the models as indexes into the grant's `models`.
    func write(to writer: inout JSONBytesWriter, modelIndex: Int, fallbackIndex: Int?) {
        writer.beginObject()
        writer.key(CodingKeys.jobID)
        writer.int(jobID)
        writer.key(CodingKeys.leaseToken)
        writer.string(leaseToken.canonicalText)
        writer.key(CodingKeys.expiresAt)
        writer.string(WireDate.format(expiresAt))
        writer.key(CodingKeys.kind)
        writer.string(kind.rawValue)
        writer.key(CodingKeys.sweep)
        writer.string(sweep)
        writer.key(CodingKeys.attempt)
        writer.int(attempt)
        writer.key(CodingKeys.modelIndex)
        writer.int(modelIndex)
        writer.key(CodingKeys.testCase)
        testCase.write(to: &writer)
        writer.key(CodingKeys.samples)
        writer.int(samples)
        writer.key(CodingKeys.samplesReceived)
        writer.beginArray()
        for index in samplesReceived { writer.int(index) }
        writer.endArray()
        if let response {
            writer.key(CodingKeys.response)
            writer.beginObject()
            writer.key(GradedResponse.CodingKeys.sampleIndex)
            writer.int(response.sampleIndex)
            writer.key(GradedResponse.CodingKeys.text)
            writer.string(response.text)
            writer.endObject()
        }
        writer.member(CodingKeys.template, template)
        writer.member(CodingKeys.fallbackIndex, fallbackIndex)
        writer.key(CodingKeys.permits)
        writer.int(permits)
        writer.member(CodingKeys.cacheNamespace, cacheNamespace)
        writer.member(CodingKeys.ttlSeconds, ttlSeconds)
        if viaBatch {
            writer.key(CodingKeys.viaBatch)
            writer.bool(true)
        }
        if !batchReplies.isEmpty {
            writer.key(CodingKeys.batchReplies)
            writer.beginArray()
            for reply in batchReplies { reply.write(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }

    /// Reads what `write(to:modelIndex:fallbackIndex:)` wrote, resolving the models.
    init(from decoder: any Decoder, models: [ModelSpec]) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func model(_ key: CodingKeys) throws -> ModelSpec? {
            guard let index = try container.decodeIfPresent(Int.self, forKey: key) else { return nil }
            guard models.indices.contains(index) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "no model \(index) in the grant")
            }
            return models[index]
        }
        guard let leased = try model(.modelIndex) else {
            throw DecodingError.keyNotFound(CodingKeys.modelIndex, .init(codingPath: container.codingPath, debugDescription: "missing"))
        }
        self.init(
            jobID: try container.decode(Int64.self, forKey: .jobID), leaseToken: try container.decode(UUID.self, forKey: .leaseToken),
            expiresAt: try container.decode(Date.self, forKey: .expiresAt), kind: try container.decode(JobKind.self, forKey: .kind),
            sweep: try container.decode(String.self, forKey: .sweep), attempt: try container.decode(Int.self, forKey: .attempt),
            model: leased, testCase: try container.decode(LeasedCase.self, forKey: .testCase),
            samples: try container.decode(Int.self, forKey: .samples),
            samplesReceived: try container.decode([Int].self, forKey: .samplesReceived),
            response: try container.decodeIfPresent(GradedResponse.self, forKey: .response),
            template: try container.decodeIfPresent(String.self, forKey: .template),
            fallbackModel: try model(.fallbackIndex), permits: try container.decode(Int.self, forKey: .permits),
            cacheNamespace: try container.decodeIfPresent(String.self, forKey: .cacheNamespace),
            ttlSeconds: try container.decodeIfPresent(Int.self, forKey: .ttlSeconds),
            viaBatch: try container.decodeIfPresent(Bool.self, forKey: .viaBatch) ?? false,
            batchReplies: try container.decodeIfPresent([BatchReply].self, forKey: .batchReplies) ?? [])
    }
}

/// A provider batch's answer to one of a job's requests: the HTTP status and
/// body the live route would have answered with.
public struct BatchReply: Sendable, Codable, Equatable {
    /// The request's `custom_id`, `j<job id>-s<first sample index>`.
    public var customID: String
    /// The live-equivalent HTTP status (200, or the line's error status).
    public var status: Int
    /// The live-equivalent response body, verbatim.
    public var body: String

    /// Creates a reply.
    public init(customID: String, status: Int, body: String) {
        self.customID = customID
        self.status = status
        self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case customID = "custom_id", status, body
    }

    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        writer.key(CodingKeys.customID)
        writer.string(customID)
        writer.key(CodingKeys.status)
        writer.int(status)
        writer.key(CodingKeys.body)
        writer.string(body)
        writer.endObject()
    }

    static func read(_ reader: inout JSONBytesReader) throws(JSONBytesReader.Unreadable) -> BatchReply {
        var customID: String?
        var status: Int?
        var body: String?
        try reader.readObject { key, reader throws(JSONBytesReader.Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .customID: customID = try reader.readString()
            case .status: status = try reader.readInt()
            case .body: body = try reader.readString()
            case nil: try reader.skipValue()
            }
        }
        guard let customID, let status, let body else { throw JSONBytesReader.Unreadable() }
        return BatchReply(customID: customID, status: status, body: body)
    }

    /// The `custom_id` of the request for `firstSample` of job `jobID`: the
    /// batch form of `X-Siuo-Sample`, the one home of that format.
    public static func customID(jobID: Int64, firstSample: Int) -> String {
        "j\(jobID)-s\(firstSample)"
    }

    /// The job id and first sample index a `custom_id` names, or `nil` when it is not one of ours.
    public static func parse(customID: String) -> (jobID: Int64, firstSample: Int)? {
        guard customID.first == "j", let dash = customID.firstIndex(of: "-") else { return nil }
        let job = customID[customID.index(after: customID.startIndex)..<dash]
        let rest = customID[customID.index(after: dash)...]
        guard rest.first == "s", let jobID = Int64(job), let sample = Int(rest.dropFirst()), jobID > 0, sample >= 0 else { return nil }
        return (jobID, sample)
    }
}

/// The case fields a job needs.
public struct LeasedCase: Sendable, Codable, Equatable {
    /// The dataset's id.
    public var questionID: String
    /// The category, verbatim.
    public var category: String
    /// The question text.
    public var question: String
    /// The image's key; fetch it from `GET /v1/images/{sha256}`.
    public var imageSHA256: String
    /// The image's media type.
    public var imageMediaType: String
    /// For the safety judge only (not sent with other jobs).
    public var safetyWarning: String?
    /// For the safety judge only (not sent with other jobs).
    public var referenceAnswer: String?
    /// For MCQA: letter → option text.
    public var options: [String: String]?

    /// Creates a case.
    public init(
        questionID: String, category: String, question: String, imageSHA256: String, imageMediaType: String,
        safetyWarning: String?, referenceAnswer: String?, options: [String: String]?
    ) {
        self.questionID = questionID
        self.category = category
        self.question = question
        self.imageSHA256 = imageSHA256
        self.imageMediaType = imageMediaType
        self.safetyWarning = safetyWarning
        self.referenceAnswer = referenceAnswer
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case questionID = "question_id", category, question, imageSHA256 = "image_sha256"
        case imageMediaType = "image_media_type", safetyWarning = "safety_warning"
        case referenceAnswer = "reference_answer", options
    }

    /// Writes the case as its `Codable` form reads it (absent fields left out).
    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        writer.key(CodingKeys.questionID)
        writer.string(questionID)
        writer.key(CodingKeys.category)
        writer.string(category)
        writer.key(CodingKeys.question)
        writer.string(question)
        writer.key(CodingKeys.imageSHA256)
        writer.string(imageSHA256)
        writer.key(CodingKeys.imageMediaType)
        writer.string(imageMediaType)
        writer.member(CodingKeys.safetyWarning, safetyWarning)
        writer.member(CodingKeys.referenceAnswer, referenceAnswer)
        if let options {
            writer.key(CodingKeys.options)
            writer.beginObject()
            for (letter, text) in options.sorted(by: { $0.key < $1.key }) {
                writer.key(OptionKey(letter))
                writer.string(text)
            }
            writer.endObject()
        }
        writer.endObject()
    }
}

/// An MCQA option's letter as a JSON key.
private struct OptionKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ letter: String) { stringValue = letter }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The response a judge job grades.
public struct GradedResponse: Sendable, Codable, Equatable {
    /// Its sample index within the generate job.
    public var sampleIndex: Int
    /// Its text.
    public var text: String

    /// Creates a graded response.
    public init(sampleIndex: Int, text: String) {
        self.sampleIndex = sampleIndex
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case sampleIndex = "sample_index", text
    }
}

/// Names one lease in heartbeats, results, failures and releases.
public struct LeaseReference: Sendable, Codable, Hashable {
    /// The job.
    public var jobID: Int64
    /// The token the lease came with.
    public var leaseToken: UUID

    /// Creates a reference.
    public init(jobID: Int64, leaseToken: UUID) {
        self.jobID = jobID
        self.leaseToken = leaseToken
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", leaseToken = "lease_token"
    }

    func write(to writer: inout JSONBytesWriter) {
        writer.beginObject()
        writer.key(CodingKeys.jobID)
        writer.int(jobID)
        writer.key(CodingKeys.leaseToken)
        writer.string(leaseToken.canonicalText)
        writer.endObject()
    }
}

/// Per-item answer of the batch routes (docs/protocol.md, "Fencing").
public enum ItemStatus: String, Sendable, Codable {
    /// Written.
    case accepted
    /// The lease is no longer current: nothing was written.
    case stale
}
