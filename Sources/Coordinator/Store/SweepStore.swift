import Foundation
import Shared

/// Sweeps: submit (create, resume, replace), state changes and status.
public struct SweepStore: Sendable {
    let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// What a submission did.
    public enum SubmitOutcome: Sendable, Equatable {
        /// A new sweep with this many jobs.
        case created(jobs: Int)
        /// The same sweep again: operational fields applied, missing jobs added.
        case resumed(addedJobs: Int)
        /// `--replace`: the old sweep's runnable jobs were cancelled (its results
        /// kept) and a new sweep was created with this many jobs.
        case replaced(jobs: Int)
    }

    /// Creates, resumes or replaces the sweep `definition` names, in one
    /// transaction: on any error nothing is written. With `limit`, jobs are
    /// created for the first `limit` cases only (dataset order, after the
    /// category filter): a cheap trial that a later submission without it
    /// extends to every case. The limit is not part of the sweep's identity
    /// and never removes jobs.
    @discardableResult
    public func submit(_ definition: SweepDefinition, replace: Bool = false, limit: Int? = nil) async throws -> SubmitOutcome {
        if let problem = SweepSubmission.problem(withLimit: limit) { throw SweepStoreError.invalidLimit(problem) }
        return try await pool.withTransaction { connection in
            let outcome = try await submit(definition, replace: replace, limit: limit, on: connection)
            // Lease waiters on every coordinator wake when this commits.
            try await connection.query(JobSQL.notify)
            return outcome
        }
    }

    /// `submit`'s work, inside its transaction.
    private func submit(_ definition: SweepDefinition, replace: Bool, limit: Int?, on connection: PostgresConnection) async throws -> SubmitOutcome {
        try await connection.query(LockSQL.named, ["sweep:" + definition.name])
        let dataset = try await checkDataset(definition, on: connection)
        if let current = try await connection.query(SweepSQL.current, [definition.name]).first {
            let sweepID = try current.decode(Int64.self, "id")
            let stored = try JSONDecoder().decode(SweepDefinition.self, from: try current.decode(JSONValue.self, "definition").canonicalData())
            var differences = definition.identityDifferences(from: stored)
            // The same name on other data is another sweep: resuming would mix two datasets' cases in one report.
            if try current.decode(Int64.self, "dataset_id") != dataset {
                differences.append("dataset \(definition.dataset.name) was imported again since the sweep started")
            }
            if differences.isEmpty {
                let added = try await resume(
                    sweepID, state: try current.decode(SweepState.self, "state"), definition, datasetID: dataset, limit: limit, on: connection)
                return .resumed(addedJobs: added)
            }
            guard replace else { throw SweepStoreError.identityChanged(name: definition.name, fields: differences) }
            try await connection.query(JobSQL.cancelUnfinished, [sweepID])
            try await connection.query(BatchLineSQL.dropPending, [sweepID])
            try await connection.query(SweepSQL.retire, [sweepID])
            return .replaced(jobs: try await create(definition, datasetID: dataset, limit: limit, on: connection))
        }
        return .created(jobs: try await create(definition, datasetID: dataset, limit: limit, on: connection))
    }

    private func checkDataset(_ definition: SweepDefinition, on connection: PostgresConnection) async throws -> Int64 {
        guard let row = try await connection.query(SweepSQL.dataset, [definition.dataset.name]).first else {
            throw SweepStoreError.datasetNotFound(definition.dataset.name)
        }
        let datasetID = try row.decode(Int64.self, "id")
        if definition.tasks.contains(.mcqa), !(try row.decode(Bool.self, "has_mcqa")) {
            throw SweepStoreError.datasetHasNoMCQA(definition.dataset.name)
        }
        if !definition.categories.isEmpty {
            let known = try await connection.query(SweepSQL.categories, [datasetID]).map { try $0.decode(String.self, "category") }
            let unknown = definition.categories.filter { !known.contains($0) }
            if !unknown.isEmpty { throw SweepStoreError.unknownCategories(unknown, known: known) }
        }
        return datasetID
    }

    private func create(_ definition: SweepDefinition, datasetID: Int64, limit: Int?, on connection: PostgresConnection) async throws -> Int {
        let sweepID = try await connection.query(
            SweepSQL.insert,
            [
                definition.name, datasetID, try Self.json(definition), definition.identitySHA256, definition.seed,
                definition.leaseTTLSeconds, definition.budgetUSD,
            ])[0].decode(Int64.self, "id")
        let buckets = try await saveModels(definition, sweepID: sweepID, on: connection)
        return try await createJobs(definition, sweepID: sweepID, datasetID: datasetID, limit: limit, buckets: buckets, on: connection)
    }

    private func resume(
        _ sweepID: Int64, state: SweepState, _ definition: SweepDefinition, datasetID: Int64, limit: Int?, on connection: PostgresConnection
    ) async throws -> Int {
        // Jobs a lease may hold first, then the sweep's row and the buckets: a result batch locks its
        // jobs and then the sweep's row, a throttled failure its job and then its bucket.
        try await connection.query(JobSQL.updateMaxAttempts, [sweepID, definition.maxAttempts])
        try await connection.query(
            SweepSQL.updateOperational, [sweepID, try Self.json(definition), definition.leaseTTLSeconds, definition.budgetUSD])
        let buckets = try await saveModels(definition, sweepID: sweepID, on: connection)
        try await connection.query(JobSQL.updateLanes, [sweepID])
        try await JobStore.leaveBatchLane(JobSQL.sweepLeavesBatchLane, sweepID, on: connection)
        if state == .cancelled {
            try await connection.query(JobSQL.requeueCancelled, [sweepID])
            try await connection.query(SweepSQL.setState, [sweepID, SweepState.running.rawValue])
        }
        return try await createJobs(definition, sweepID: sweepID, datasetID: datasetID, limit: limit, buckets: buckets, on: connection)
    }

    /// Saves the sweep's endpoints' buckets, each once with the tightest
    /// limits its models set (`EndpointLimits`), the existing ones locked
    /// first in id order (`RateBucketSQL.lockForSubmit`), then the models in
    /// their roles; answers each target model's bucket, by model name.
    private func saveModels(_ definition: SweepDefinition, sweepID: Int64, on connection: PostgresConnection) async throws -> [String: Int64] {
        var buckets: [String: Int64] = [:]
        var roles = definition.models.map { ($0, ModelRole.target) }
        if let judge = definition.judge { roles.append((judge, .judge)) }
        if let fallback = definition.fallbackJudge { roles.append((fallback, .fallbackJudge)) }
        if let second = definition.secondJudge { roles.append((second, .secondJudge)) }
        let endpoints = EndpointLimits.merged(roles.map(\.0))
        try await connection.query(RateBucketSQL.lockForSubmit, BatchStore.endpointArrays(endpoints.map(\.endpoint)))
        var bucketOf: [EndpointKey: Int64] = [:]
        for (endpoint, limits) in endpoints {
            bucketOf[endpoint] = try await connection.query(
                RateBucketSQL.upsert,
                [
                    endpoint.provider.rawValue, endpoint.baseURL, endpoint.model, limits.rpm, limits.tpm, limits.burst,
                    AdaptiveRate.initialUnconfigured, limits.maxInFlight,
                ])[0].decode(Int64.self, "id")
        }
        for (model, role) in roles {
            let bucketID = bucketOf[model.endpointKey]!
            try await connection.query(
                SweepSQL.upsertModel,
                [
                    sweepID, model.name, role.rawValue, model.provider.rawValue, model.model, model.baseURL, model.apiKeyEnvironment,
                    bucketID, try Self.json(model),
                ])
            if role == .target { buckets[model.name] = bucketID }
        }
        return buckets
    }

    /// Creates the sweep's missing target jobs with their token estimates, and
    /// gives each target bucket the mean estimate of the requests its jobs
    /// will send, as its tokens per request until providers report usage
    /// (`RateBucketSQL.seedEstimates`).
    private func createJobs(
        _ definition: SweepDefinition, sweepID: Int64, datasetID: Int64, limit: Int?, buckets: [String: Int64],
        on connection: PostgresConnection
    ) async throws -> Int {
        let estimates = try await Self.jobEstimates(definition, datasetID: datasetID, limit: limit, on: connection)
        let perRequest = Self.meanRequestTokens(estimates, buckets: buckets)
        if !perRequest.isEmpty {
            try await connection.query(
                RateBucketSQL.seedEstimates,
                [PostgresTextArray(perRequest.map { String($0.key) }), PostgresTextArray(perRequest.map { String($0.value) })])
        }
        return try await connection.query(
            JobSQL.create,
            [
                sweepID, definition.samples, definition.maxAttempts, PostgresTextArray(estimates.map(\.model)),
                PostgresTextArray(estimates.map(\.kind)), PostgresTextArray(estimates.map { String($0.caseID) }),
                PostgresTextArray(estimates.map { String($0.tokens) }),
            ]
        ).affectedRows
    }

    /// Per bucket, the mean tokens of one request over `estimates` (requests, not jobs:
    /// a job of three samples sent one by one is three requests).
    static func meanRequestTokens(_ estimates: [JobEstimate], buckets: [String: Int64]) -> [Int64: Double] {
        var sums: [Int64: (tokens: Double, requests: Double)] = [:]
        for estimate in estimates {
            guard let bucket = buckets[estimate.model], estimate.requests > 0 else { continue }
            sums[bucket, default: (0, 0)].tokens += Double(estimate.tokens)
            sums[bucket, default: (0, 0)].requests += Double(estimate.requests)
        }
        return sums.compactMapValues { $0.requests > 0 ? ($0.tokens / $0.requests).rounded(.up) : nil }
    }

    /// One target job's expected requests and tokens, by model, kind and case.
    typealias JobEstimate = (model: String, kind: String, caseID: Int64, requests: Int, tokens: Int)

    /// Each target job's expected tokens (`TokenEstimate.job`), per model, kind and case.
    static func jobEstimates(
        _ definition: SweepDefinition, datasetID: Int64, limit: Int?, on connection: PostgresConnection
    ) async throws -> [JobEstimate] {
        let rows = try await connection.query(DatasetSQL.jobCases, [datasetID, PostgresTextArray(definition.categories), limit])
        let cases = try rows.map { (id: try $0.decode(Int64.self, "id"), testCase: try DatasetStore.estimatedCase($0)) }
        return definition.models.flatMap { model in
            definition.tasks.flatMap { task in
                let kind = task == .generation ? JobKind.generate.rawValue : JobKind.mcqa.rawValue
                let samples = task == .generation ? definition.samples : 1
                return cases.map { row in
                    let tokens = TokenEstimate.job(model, task: task, prompts: definition.prompts, testCase: row.testCase, samples: samples)
                    return (model.name, kind, row.id, tokens.requests, min(tokens.total, Int(Int32.max)))
                }
            }
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Why a sweep was refused or not found. Nothing was written.
public enum SweepStoreError: Error, CustomStringConvertible, Equatable {
    /// No sweep of this name.
    case notFound(String)
    /// The sweep names a dataset that is not imported.
    case datasetNotFound(String)
    /// The sweep runs MCQA on a dataset imported without MCQA items.
    case datasetHasNoMCQA(String)
    /// Categories the dataset does not have.
    case unknownCategories([String], known: [String])
    /// A resubmission changed identity fields (docs/architecture.md, "Sweep files and identity").
    case identityChanged(name: String, fields: [String])
    /// A case limit that cannot be used, and why.
    case invalidLimit(String)

    /// What happened and what to do.
    public var description: String {
        switch self {
        case .notFound(let name):
            "no sweep named \"\(name)\""
        case .datasetNotFound(let name):
            "dataset \"\(name)\" is not imported; import it with `siuo dataset import \(name) --gen FILE --mcqa FILE --images DIR`"
        case .datasetHasNoMCQA(let name):
            "dataset \"\(name)\" was imported without MCQA items; import it with --mcqa or drop `mcqa` from tasks"
        case .unknownCategories(let unknown, let known):
            "categories: unknown \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); the dataset has \(known.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .identityChanged(let name, let fields):
            "sweep \"\(name)\" exists with a different definition (\(fields.joined(separator: ", "))); "
                + "only operational fields may change on resubmit; use --replace to start it anew"
        case .invalidLimit(let problem):
            "limit \(problem)"
        }
    }
}
