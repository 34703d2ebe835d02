import Foundation

/// The coordinator API from the outside: workers, the CLI and tests.
public struct CoordinatorClient: Sendable {
    /// e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    private let token: String
    private let http: CurlMultiClient
    /// Per-request time limit (long polls get their wait on top).
    public var timeout: TimeInterval = 30

    /// A client sending `token` as its bearer token.
    public init(baseURL: String, token: String, http: CurlMultiClient = CurlMultiClient.shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
    }

    /// `GET /v1/endpoints`.
    public func endpoints() async throws -> [EndpointDescriptor] {
        try await get("/v1/endpoints", as: Batch<EndpointDescriptor>.self).items
    }

    /// `POST /v1/leases`, waiting up to `request.waitMilliseconds` for work.
    public func lease(_ request: LeaseRequest) async throws -> [JobLease] {
        let extra = TimeInterval(request.waitMilliseconds) / 1000
        let response = try await send("POST", "/v1/leases", body: Array(try WireCoding.encoder().encode(request)), extraTime: extra)
        // The fast read first; anything it cannot read goes to JSONDecoder, whose answer or error stands.
        if let grant = try? LeaseGrant.read(response.body) { return grant.leases }
        return try decode(LeaseGrant.self, response, path: "/v1/leases").leases
    }

    /// `POST /v1/heartbeats`.
    public func heartbeat(_ leases: [LeaseReference]) async throws -> [ItemAnswer] {
        try await post("/v1/heartbeats", Batch(leases), as: Batch<ItemAnswer>.self).items
    }

    /// `POST /v1/results`.
    public func complete(_ results: [JobResult]) async throws -> [ItemAnswer] {
        let response = try await send("POST", "/v1/results", body: JobResult.batchJSON(results))
        if let answers = try? ItemAnswer.readBatch(response.body) { return answers }
        return try decode(Batch<ItemAnswer>.self, response, path: "/v1/results").items
    }

    /// `POST /v1/failures`.
    public func fail(_ failures: [JobFailure]) async throws -> [ItemAnswer] {
        try await post("/v1/failures", Batch(failures), as: Batch<ItemAnswer>.self).items
    }

    /// `POST /v1/deferrals`.
    public func deferToBatch(_ deferrals: [JobDeferral]) async throws -> [ItemAnswer] {
        try await post("/v1/deferrals", Batch(deferrals), as: Batch<ItemAnswer>.self).items
    }

    /// `POST /v1/batches/lease`: one piece of batch work, or none.
    public func batchTask(_ request: BatchLeaseRequest) async throws -> BatchTask? {
        try await post("/v1/batches/lease", request, as: BatchLeaseGrant.self).task
    }

    /// `POST /v1/batches/{id}/renew`: whether the lease is still current (and now extended).
    public func renewBatch(_ batchID: Int64, leaseToken: UUID) async throws -> Bool {
        try await fenced { _ = try await post("/v1/batches/\(batchID)/renew", BatchRenewal(leaseToken: leaseToken), as: BatchAnswer.self) }
    }

    /// `POST /v1/batches/{id}/report`: whether the report was written (`false`: the lease is no longer current).
    public func reportBatch(_ batchID: Int64, _ report: BatchReport) async throws -> Bool {
        try await fenced {
            _ = try await post("/v1/batches/\(batchID)/report", report, as: BatchAnswer.self, extraTime: 60)
        }
    }

    /// `true` when `body` succeeded, `false` when the coordinator answered 409 (a stale lease).
    private func fenced(_ body: () async throws -> Void) async throws -> Bool {
        do {
            try await body()
            return true
        } catch let error as CoordinatorClientError where error.status == 409 {
            return false
        }
    }

    /// `POST /v1/releases`.
    public func release(_ leases: [LeaseReference], retryAfterMilliseconds: Int? = nil) async throws -> [ItemAnswer] {
        try await post("/v1/releases", ReleaseRequest(items: leases, retryAfterMilliseconds: retryAfterMilliseconds), as: Batch<ItemAnswer>.self)
            .items
    }

    /// `POST /v1/permits`.
    public func permits(_ requests: [PermitRequest]) async throws -> [PermitGrant] {
        try await post("/v1/permits", Batch(requests), as: Batch<PermitGrant>.self).items
    }

    /// `POST /v1/cache/lookup`: the cached answers among `keys` (the others are not cached).
    public func cachedAnswers(_ keys: [String]) async throws -> [CachedAnswer] {
        try await post("/v1/cache/lookup", Batch(keys), as: Batch<CachedAnswer>.self).items
    }

    /// `GET /v1/images/{sha256}`.
    public func image(sha256: String) async throws -> [UInt8] {
        try await send("GET", "/v1/images/\(sha256)", body: nil).body
    }

    /// `POST /v1/sweeps`; `limit` takes the first N cases only (see `SweepSubmission.limit`).
    public func submit(_ definition: SweepDefinition, replace: Bool, limit: Int? = nil) async throws -> SubmissionAnswer {
        try await post("/v1/sweeps", SweepSubmission(definition: definition, replace: replace, limit: limit), as: SubmissionAnswer.self)
    }

    /// `GET /v1/sweeps/{name}`.
    public func status(_ name: String) async throws -> SweepStatus {
        try await get("/v1/sweeps/\(Self.escaped(name))", as: SweepStatus.self)
    }

    /// `GET /v1/sweeps`.
    public func sweeps() async throws -> [SweepStatus] {
        try await get("/v1/sweeps", as: Batch<SweepStatus>.self).items
    }

    /// `POST /v1/sweeps/{name}/{action}` for `cancel`, `pause`, `resume`, `retry-failed`.
    public func act(_ action: String, on name: String) async throws -> SweepStatus {
        try await send("POST", "/v1/sweeps/\(Self.escaped(name))/\(action)", body: nil, as: SweepStatus.self)
    }

    /// `GET /v1/sweeps/{name}/report`: the report JSON (docs/protocol.md, "The report"), partial while the sweep runs.
    public func report(_ name: String) async throws -> SweepReport {
        try await get("/v1/sweeps/\(Self.escaped(name))/report", as: SweepReport.self)
    }

    /// `GET /v1/sweeps/{name}/export`: each model's results in SIUO's file format.
    public func export(_ name: String) async throws -> SIUOExport {
        try await get("/v1/sweeps/\(Self.escaped(name))/export", as: SIUOExport.self)
    }

    /// `GET /v1/sweeps/{name}/labels`: people's labels on the sweep's responses (docs/protocol.md, "Human review").
    public func labels(_ name: String) async throws -> [HumanLabel] {
        try await get("/v1/sweeps/\(Self.escaped(name))/labels", as: HumanLabels.self).labels
    }

    /// `PUT /v1/sweeps/{name}/labels`: writes `labels`, all or none; returns how many were written.
    @discardableResult
    public func writeLabels(_ labels: [HumanLabel], sweep name: String) async throws -> Int {
        let body = Array(try WireCoding.encoder().encode(HumanLabels(labels: labels)))
        return try await send("PUT", "/v1/sweeps/\(Self.escaped(name))/labels", body: body, as: LabelsWritten.self).written
    }

    // MARK: - Transport

    private func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try await send("GET", path, body: nil, as: type)
    }

    private func post<Body: Encodable, T: Decodable>(_ path: String, _ body: Body, as type: T.Type, extraTime: TimeInterval = 0) async throws -> T {
        try await send("POST", path, body: Array(try WireCoding.encoder().encode(body)), as: type, extraTime: extraTime)
    }

    private func send<T: Decodable>(_ method: String, _ path: String, body: [UInt8]?, as type: T.Type, extraTime: TimeInterval = 0) async throws -> T
    {
        try decode(type, try await send(method, path, body: body, extraTime: extraTime), path: path)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: HTTPClientResponse, path: String) throws -> T {
        do {
            return try WireCoding.decoder().decode(T.self, from: Data(response.body))
        } catch {
            throw CoordinatorClientError(status: response.status, message: "unexpected answer from \(path): \(error)")
        }
    }

    /// Sends and returns a 2xx response; anything else becomes an error with
    /// the server's message.
    public func send(_ method: String, _ path: String, body: [UInt8]?, extraTime: TimeInterval = 0) async throws -> HTTPClientResponse {
        var headers = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let request = HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: body, timeout: timeout + extraTime)
        let response = try await http.send(request)
        guard (200..<300).contains(response.status) else {
            let message = (try? WireCoding.decoder().decode(ErrorBody.self, from: Data(response.body)).error) ?? response.text
            throw CoordinatorClientError(status: response.status, message: message)
        }
        return response
    }

    static func escaped(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
    }
}

/// The coordinator answered with an error status.
public struct CoordinatorClientError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// The server's message.
    public var message: String

    /// Creates an error.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// "HTTP 409: message".
    public var description: String { "HTTP \(status): \(message)" }
}

/// The answer to `PUT /v1/sweeps/{name}/labels`.
private struct LabelsWritten: Decodable {
    var written: Int
}
