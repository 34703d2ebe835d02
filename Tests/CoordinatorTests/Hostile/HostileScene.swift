import Coordinator
import Foundation
import Shared
import SiuoTestSupport

/// A coordinator over a database holding one sweep with two leased jobs, and
/// the means to prove that a hostile request wrote nothing.
struct HostileScene {
    let pool: PostgresPool
    let base: String
    /// Two current leases (generate jobs), for fencing cases.
    let leases: [JobLease]

    static let definition = SweepFixture.definition(name: "hostile", models: 1, tasks: [.generation, .mcqa], samples: 2)

    /// Sets up the sweep and leases, then runs `body` against a coordinator.
    /// The auth limiter is generous: these tests send many wrong tokens on purpose.
    static func with(suite: String, cases: Int = 2, _ body: (HostileScene) async throws -> Void) async throws {
        let pool = try await TestDatabase.pool(suite: suite)
        try await SweepFixture.importDataset(pool, cases: cases)
        try await SweepStore(pool: pool).submit(definition)
        let leases = try await JobStore(pool: pool).claim(LeaseRequest(workerID: "w", endpoints: SweepFixture.endpoints(definition), maxJobs: 2))
        let api = CoordinatorAPI(
            pool: pool, tokens: try TestCoordinator.tokens(),
            latestMigration: try Migrator(pool: pool).latestVersion,
            authLimiter: FailedAuthLimiter(limit: 100_000))
        try await LoopbackServer.with(api) { base in
            try await body(HostileScene(pool: pool, base: base, leases: leases))
        }
    }

    /// Sends raw bytes, no client-side checks; the timeout bounds a hang (16 MiB bodies are slow on a loaded machine).
    func raw(
        _ method: String, _ path: String, token: String? = TestCoordinator.workerToken, body: [UInt8]? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPClientResponse {
        try await TestHTTP.send(
            base + path, method: method, token: token, headers: ["Content-Type": "application/json"].merging(headers) { $1 }, body: body)
    }

    func raw(_ method: String, _ path: String, token: String? = TestCoordinator.workerToken, text: String) async throws -> HTTPClientResponse {
        try await raw(method, path, token: token, body: Array(text.utf8))
    }

    /// A digest of every row of every table: equal digests mean nothing was written.
    func fingerprint() async throws -> [String: String] {
        let tables = try await pool.query(
            "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        var digests: [String: String] = [:]
        for row in tables {
            let table = try row.decode(String.self, "t")
            let sql = "SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h, count(*) AS n FROM \"\(table)\" x"
            let result = try await pool.query(sql)[0]
            digests[table] = "\(try result.decode(Int.self, "n")):\(try result.decode(String.self, "h"))"
        }
        return digests
    }

    /// Encodes `value` as the wire does.
    static func wire<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try WireCoding.encoder().encode(value))
    }

    /// `value` encoded, then edited as a JSON object (for wrong types and absurd values).
    static func edited<T: Encodable>(_ value: T, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(try wire(value))) as! [String: Any]
        edit(&object)
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}

/// The error message of an `{"error": …}` body.
extension HTTPClientResponse {
    var errorMessage: String {
        (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)).error) ?? "<not an error body: \(text.prefix(200))>"
    }
}
