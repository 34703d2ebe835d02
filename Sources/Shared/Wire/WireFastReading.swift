import Foundation

// The fast reads of the two messages of every lease round (see
// `JSONBytesReader`): field names from the types' `CodingKeys`, every
// required field required, and anything unexpected `Unreadable`, so that the
// caller's `Codable` decoding decides.

typealias Unreadable = JSONBytesReader.Unreadable

extension JobResult {
    /// A `POST /v1/results` body (`{"items": [...]}`) on the fast path.
    public static func readBatch(_ bytes: [UInt8]) throws(JSONBytesReader.Unreadable) -> [JobResult] {
        try JSONBytesReader.read(bytes) { reader throws(Unreadable) in
            var items: [JobResult]?
            try reader.readObject { key, reader throws(Unreadable) in
                guard key == BatchKey.items.stringValue else { return try reader.skipValue() }
                var results: [JobResult] = []
                try reader.readArray { reader throws(Unreadable) in results.append(try JobResult.read(&reader)) }
                items = results
            }
            guard let items else { throw Unreadable() }
            return items
        }
    }

    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> JobResult {
        var lease: LeaseReference?
        var samples: [SampleResult]?
        var verdict: VerdictResult?
        var usage: Usage?
        var limits: ProviderLimits?
        try reader.readObject { key, reader throws(Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .limits: limits = reader.readNull() ? nil : try ProviderLimits.read(&reader)
            case .lease: lease = try LeaseReference.read(&reader)
            case .samples:
                var list: [SampleResult] = []
                try reader.readArray { reader throws(Unreadable) in list.append(try SampleResult.read(&reader)) }
                samples = list
            case .verdict: verdict = reader.readNull() ? nil : try VerdictResult.read(&reader)
            case .usage: usage = try Usage.read(&reader)
            case nil: try reader.skipValue()
            }
        }
        guard let lease, let samples, let usage else { throw Unreadable() }
        return JobResult(lease: lease, samples: samples, verdict: verdict, usage: usage, limits: limits)
    }
}

extension ItemAnswer {
    /// A batch route's answer (`{"items": [...]}`) on the fast path.
    public static func readBatch(_ bytes: [UInt8]) throws(JSONBytesReader.Unreadable) -> [ItemAnswer] {
        try JSONBytesReader.read(bytes) { reader throws(Unreadable) in
            var items: [ItemAnswer]?
            try reader.readObject { key, reader throws(Unreadable) in
                guard key == BatchKey.items.stringValue else { return try reader.skipValue() }
                var answers: [ItemAnswer] = []
                try reader.readArray { reader throws(Unreadable) in
                    var jobID: Int?
                    var status: ItemStatus?
                    try reader.readObject { key, reader throws(Unreadable) in
                        switch CodingKeys(rawValue: key) {
                        case .jobID: jobID = try reader.readInt()
                        case .status: status = ItemStatus(rawValue: try reader.readString())
                        case nil: try reader.skipValue()
                        }
                    }
                    guard let jobID, let status else { throw Unreadable() }
                    answers.append(ItemAnswer(jobID: Int64(jobID), status: status))
                }
                items = answers
            }
            guard let items else { throw Unreadable() }
            return items
        }
    }
}

extension LeaseReference {
    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> LeaseReference {
        var jobID: Int?
        var token: UUID?
        try reader.readObject { key, reader throws(Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .jobID: jobID = try reader.readInt()
            case .leaseToken: token = UUID(canonical: try reader.readString())
            case nil: try reader.skipValue()
            }
        }
        guard let jobID, let token else { throw Unreadable() }
        return LeaseReference(jobID: Int64(jobID), leaseToken: token)
    }
}

extension SampleResult {
    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> SampleResult {
        var index: Int?
        var outcome: ResponseOutcome?
        var text: String?
        var fromCache: Bool?
        var finishReason: String?
        var resolvedModel: String?
        var systemFingerprint: String?
        var cacheKey: String?
        try reader.readObject { key, reader throws(Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .sampleIndex: index = try reader.readInt()
            case .outcome: outcome = ResponseOutcome(rawValue: try reader.readString())
            case .text: text = try reader.readString()
            case .fromCache: fromCache = try reader.readBool()
            case .finishReason: finishReason = reader.readNull() ? nil : try reader.readString()
            case .resolvedModel: resolvedModel = reader.readNull() ? nil : try reader.readString()
            case .systemFingerprint: systemFingerprint = reader.readNull() ? nil : try reader.readString()
            case .cacheKey: cacheKey = reader.readNull() ? nil : try reader.readString()
            case nil: try reader.skipValue()
            }
        }
        guard let index, let outcome, let text, let fromCache else { throw Unreadable() }
        return SampleResult(
            sampleIndex: index, outcome: outcome, text: text, finishReason: finishReason, resolvedModel: resolvedModel,
            systemFingerprint: systemFingerprint, fromCache: fromCache, cacheKey: cacheKey)
    }
}

extension VerdictResult {
    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> VerdictResult {
        var value: Int?
        var label: String?
        var judgeText: String?
        var attempts: Int?
        var byFallback: Bool?
        var cacheKey: String?
        try reader.readObject { key, reader throws(Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .value: value = reader.readNull() ? nil : try reader.readInt()
            case .label: label = reader.readNull() ? nil : try reader.readString()
            case .judgeText: judgeText = try reader.readString()
            case .attempts: attempts = try reader.readInt()
            case .byFallbackJudge: byFallback = try reader.readBool()
            case .cacheKey: cacheKey = reader.readNull() ? nil : try reader.readString()
            case nil: try reader.skipValue()
            }
        }
        guard let judgeText, let attempts, let byFallback else { throw Unreadable() }
        return VerdictResult(value: value, label: label, judgeText: judgeText, attempts: attempts, byFallbackJudge: byFallback, cacheKey: cacheKey)
    }
}

extension Usage {
    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> Usage {
        var requests: Int?
        var retries: Int?
        var cacheHits: Int?
        var input: Int?
        var output: Int?
        var batchRequests = 0
        var batchInput = 0
        var batchOutput = 0
        try reader.readObject { key, reader throws(Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .requests: requests = try reader.readInt()
            case .retries: retries = try reader.readInt()
            case .cacheHits: cacheHits = try reader.readInt()
            case .inputTokens: input = try reader.readInt()
            case .outputTokens: output = try reader.readInt()
            case .batchRequests: batchRequests = try reader.readInt()
            case .batchInputTokens: batchInput = try reader.readInt()
            case .batchOutputTokens: batchOutput = try reader.readInt()
            case nil: try reader.skipValue()
            }
        }
        guard let requests, let retries, let cacheHits, let input, let output else { throw Unreadable() }
        return Usage(
            requests: requests, retries: retries, cacheHits: cacheHits, inputTokens: input, outputTokens: output,
            batchRequests: batchRequests, batchInputTokens: batchInput, batchOutputTokens: batchOutput)
    }
}

extension LeaseGrant {
    /// A `POST /v1/leases` answer on the fast path; the models' settings are
    /// decoded by `JSONDecoder` (a grant holds a handful).
    public static func read(_ bytes: [UInt8]) throws(JSONBytesReader.Unreadable) -> LeaseGrant {
        try JSONBytesReader.read(bytes) { reader throws(Unreadable) in
            var models: [ModelSpec]?
            var leases: [(JobLease.Fields, Int, Int?)]?
            let decoder = WireCoding.decoder()
            try reader.readObject { key, reader throws(Unreadable) in
                switch CodingKeys(rawValue: key) {
                case .models:
                    var list: [ModelSpec] = []
                    try reader.readArray { reader throws(Unreadable) in
                        let raw = try reader.readRawValue()
                        guard let model = try? decoder.decode(ModelSpec.self, from: Data(raw)) else { throw Unreadable() }
                        list.append(model)
                    }
                    models = list
                case .leases:
                    var list: [(JobLease.Fields, Int, Int?)] = []
                    try reader.readArray { reader throws(Unreadable) in list.append(try JobLease.read(&reader)) }
                    leases = list
                case nil: try reader.skipValue()
                }
            }
            guard let models, let leases else { throw Unreadable() }
            return LeaseGrant(
                leases: try leases.map { fields, modelIndex, fallbackIndex throws(Unreadable) in
                    guard models.indices.contains(modelIndex) else { throw Unreadable() }
                    var fallback: ModelSpec?
                    if let fallbackIndex {
                        guard models.indices.contains(fallbackIndex) else { throw Unreadable() }
                        fallback = models[fallbackIndex]
                    }
                    return fields.lease(model: models[modelIndex], fallback: fallback)
                })
        }
    }
}

extension JobLease {
    /// A lease's own fields, before its model indexes are resolved.
    struct Fields {
        var jobID: Int64, leaseToken: UUID, expiresAt: Date, kind: JobKind, sweep: String, attempt: Int
        var testCase: LeasedCase, samples: Int, samplesReceived: [Int], response: GradedResponse?, template: String?
        var permits: Int, cacheNamespace: String?, ttlSeconds: Int?, viaBatch: Bool, batchReplies: [BatchReply]

        func lease(model: ModelSpec, fallback: ModelSpec?) -> JobLease {
            JobLease(
                jobID: jobID, leaseToken: leaseToken, expiresAt: expiresAt, kind: kind, sweep: sweep, attempt: attempt, model: model,
                testCase: testCase, samples: samples, samplesReceived: samplesReceived, response: response, template: template,
                fallbackModel: fallback, permits: permits, cacheNamespace: cacheNamespace, ttlSeconds: ttlSeconds,
                viaBatch: viaBatch, batchReplies: batchReplies)
        }
    }

    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> (Fields, Int, Int?) {
        var jobID: Int?
        var attempt: Int?
        var modelIndex: Int?
        var samples: Int?
        var fallbackIndex: Int?
        var permits: Int?
        var ttlSeconds: Int?
        var token: UUID?
        var expiresAt: Date?
        var kind: JobKind?
        var sweep: String?
        var template: String?
        var cacheNamespace: String?
        var testCase: LeasedCase?
        var received: [Int]?
        var response: GradedResponse?
        var viaBatch = false
        var replies: [BatchReply] = []
        try reader.readObject { key, reader throws(Unreadable) in
            guard let name = CodingKeys(rawValue: key) else { return try reader.skipValue() }
            if reader.readNull() { return }
            switch name {
            case .viaBatch: viaBatch = try reader.readBool()
            case .batchReplies: try reader.readArray { reader throws(Unreadable) in replies.append(try BatchReply.read(&reader)) }
            case .jobID: jobID = try reader.readInt()
            case .attempt: attempt = try reader.readInt()
            case .modelIndex: modelIndex = try reader.readInt()
            case .samples: samples = try reader.readInt()
            case .fallbackIndex: fallbackIndex = try reader.readInt()
            case .permits: permits = try reader.readInt()
            case .ttlSeconds: ttlSeconds = try reader.readInt()
            case .leaseToken: token = UUID(canonical: try reader.readString())
            case .expiresAt: expiresAt = WireCoding.date(from: try reader.readString())
            case .kind: kind = JobKind(rawValue: try reader.readString())
            case .sweep: sweep = try reader.readString()
            case .template: template = try reader.readString()
            case .cacheNamespace: cacheNamespace = try reader.readString()
            case .testCase: testCase = try LeasedCase.read(&reader)
            case .samplesReceived:
                var list: [Int] = []
                try reader.readArray { reader throws(Unreadable) in list.append(try reader.readInt()) }
                received = list
            case .response: response = try GradedResponse.read(&reader)
            }
        }
        guard let jobID, let token, let expiresAt, let kind, let sweep, let attempt, let modelIndex, let testCase,
            let samples, let received, let permits
        else { throw Unreadable() }
        let fields = Fields(
            jobID: Int64(jobID), leaseToken: token, expiresAt: expiresAt, kind: kind, sweep: sweep, attempt: attempt,
            testCase: testCase, samples: samples, samplesReceived: received, response: response,
            template: template, permits: permits, cacheNamespace: cacheNamespace,
            ttlSeconds: ttlSeconds, viaBatch: viaBatch, batchReplies: replies)
        return (fields, modelIndex, fallbackIndex)
    }
}

extension LeasedCase {
    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> LeasedCase {
        var questionID: String?
        var category: String?
        var question: String?
        var image: String?
        var mediaType: String?
        var safetyWarning: String?
        var referenceAnswer: String?
        var options: [String: String]?
        try reader.readObject { key, reader throws(Unreadable) in
            guard let name = CodingKeys(rawValue: key) else { return try reader.skipValue() }
            if reader.readNull() { return }
            switch name {
            case .questionID: questionID = try reader.readString()
            case .category: category = try reader.readString()
            case .question: question = try reader.readString()
            case .imageSHA256: image = try reader.readString()
            case .imageMediaType: mediaType = try reader.readString()
            case .safetyWarning: safetyWarning = try reader.readString()
            case .referenceAnswer: referenceAnswer = try reader.readString()
            case .options:
                var members: [String: String] = [:]
                try reader.readObject { letter, reader throws(Unreadable) in members[letter] = try reader.readString() }
                options = members
            }
        }
        guard let questionID, let category, let question, let image, let mediaType else { throw Unreadable() }
        return LeasedCase(
            questionID: questionID, category: category, question: question, imageSHA256: image, imageMediaType: mediaType,
            safetyWarning: safetyWarning, referenceAnswer: referenceAnswer, options: options)
    }
}

extension GradedResponse {
    static func read(_ reader: inout JSONBytesReader) throws(Unreadable) -> GradedResponse {
        var index: Int?
        var text: String?
        try reader.readObject { key, reader throws(Unreadable) in
            switch CodingKeys(rawValue: key) {
            case .sampleIndex: index = try reader.readInt()
            case .text: text = try reader.readString()
            case nil: try reader.skipValue()
            }
        }
        guard let index, let text else { throw Unreadable() }
        return GradedResponse(sampleIndex: index, text: text)
    }
}

extension JSONBytesReader {
    /// A flat object of strings (an MCQA item's options, as the database
    /// keeps them) on the fast path; `nil` for anything else, which the
    /// caller then reads with `JSONDecoder`.
    public static func stringMap(_ bytes: [UInt8]) -> [String: String]? {
        try? read(bytes) { reader throws(Unreadable) in
            var members: [String: String] = [:]
            try reader.readObject { key, reader throws(Unreadable) in members[key] = try reader.readString() }
            return members
        }
    }
}
