import Foundation
import Shared

/// Human labels on a sweep's responses (docs/protocol.md, "Human review").
public struct LabelStore: Sendable {
    let pool: PostgresPool

    /// A store on `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The most labels one call may write.
    public static let batchLimit = 100_000

    /// The labels of sweep `name`, each with its response named both ways.
    public func labels(_ name: String) async throws -> [HumanLabel] {
        try await pool.withTransaction { connection in
            try await requireSweep(name, on: connection)
            return try await connection.query(LabelSQL.bySweep, [name]).map { row in
                HumanLabel(
                    responseID: try row.decode(Int64.self, "response_id"), model: try row.decode(String.self, "model"),
                    questionID: try row.decode(String.self, "question_id"), sampleIndex: try row.decode(Int.self, "sample_index"),
                    reviewer: try row.decode(String.self, "reviewer"), safe: try row.decode(Bool?.self, "safe"),
                    effectiveness: try HumanEffectiveness.stored(try row.decode(String?.self, "effectiveness")),
                    labelledAt: try row.decode(String.self, "labelled_at"))
            }
        }
    }

    /// Writes `labels` on sweep `name` in one transaction, after checking every one: on any error
    /// nothing is written. Returns how many labels were written or removed.
    @discardableResult
    public func write(_ labels: [HumanLabel], sweep name: String) async throws -> Int {
        guard labels.count <= Self.batchLimit else { throw LabelError.tooMany(labels.count) }
        return try await pool.withTransaction { connection in
            try await requireSweep(name, on: connection)
            let index = try await ResponseIndex(rows: connection.query(LabelSQL.responses, [name]))
            var rows: [JSONValue] = []
            // One label per response and reviewer: a second would make the upsert touch a row twice.
            var firstAt: [String: Int] = [:]
            for (position, label) in labels.enumerated() {
                let responseID = try index.resolve(label, at: "labels[\(position)]")
                // Stored as the instant read here, so the database never parses the text a second way.
                let time = try label.labelledAt.map { text in
                    guard let time = LabelTime.parse(text) else {
                        throw LabelError.invalid(at: "labels[\(position)].labelled_at", "expected an ISO 8601 time such as 2026-12-02T10:00:00Z")
                    }
                    return time
                }
                if let earlier = firstAt.updateValue(position, forKey: "\(responseID) \(label.reviewer)") {
                    throw LabelError.invalid(
                        at: "labels[\(position)]", "labels[\(earlier)] already labels this response for reviewer \(label.reviewer)")
                }
                rows.append(
                    .object([
                        "response_id": .int(responseID), "reviewer": .string(label.reviewer),
                        "safe": label.safe.map(JSONValue.bool) ?? .null,
                        "effectiveness": label.effectiveness.map { .string($0.rawValue) } ?? .null,
                        "labelled_at": time.map { .string(PostgresTimestamp.format($0)) } ?? .null,
                    ]))
            }
            try await connection.query(LabelSQL.upsert, [JSONValue.array(rows)])
            return labels.count
        }
    }

    private func requireSweep(_ name: String, on connection: PostgresConnection) async throws {
        guard try await connection.query(SweepSQL.byName, [name]).first != nil else { throw SweepStoreError.notFound(name) }
    }
}

/// The sweep's generation responses, by id and by model, case and sample.
private struct ResponseIndex {
    var ids: Set<Int64> = []
    var byPlace: [String: Int64] = [:]

    init(rows: PostgresRows) throws {
        for row in rows {
            let id = try row.decode(Int64.self, "response_id")
            ids.insert(id)
            byPlace[
                Self.key(try row.decode(String.self, "model"), try row.decode(String.self, "question_id"), try row.decode(Int.self, "sample_index"))] =
                id
        }
    }

    static func key(_ model: String, _ question: String, _ sample: Int) -> String { "\(model)\u{0}\(question)\u{0}\(sample)" }

    /// The response `label` names, or an error naming the field at fault.
    func resolve(_ label: HumanLabel, at path: String) throws -> Int64 {
        guard HumanLabel.isValidReviewer(label.reviewer) else {
            throw LabelError.invalid(at: path + ".reviewer", "expected 1–64 characters of A-Z a-z 0-9 . _ @ -")
        }
        if let id = label.responseID {
            guard ids.contains(id) else { throw LabelError.invalid(at: path + ".response_id", "no generation response \(id) in this sweep") }
            return id
        }
        guard let model = label.model, let question = label.questionID, let sample = label.sampleIndex else {
            throw LabelError.invalid(at: path, "name the response by response_id, or by model, question_id and sample_index")
        }
        guard let id = byPlace[Self.key(model, question, sample)] else {
            throw LabelError.invalid(at: path, "no response of model \"\(model)\" to case \"\(question)\", sample \(sample), in this sweep")
        }
        return id
    }
}

/// Why labels were refused.
public enum LabelError: Error, CustomStringConvertible, Equatable {
    /// A label at `path` is wrong; nothing was written.
    case invalid(at: String, String)
    /// More labels than one call may write.
    case tooMany(Int)
    /// The database holds an effectiveness this build does not know.
    case unknownStoredEffectiveness(String)

    /// What is wrong and where.
    public var description: String {
        switch self {
        case .invalid(let path, let problem): "\(path): \(problem); nothing was written"
        case .tooMany(let count): "\(count) labels in one call; at most \(LabelStore.batchLimit); nothing was written"
        case .unknownStoredEffectiveness(let raw): "the database holds an unknown effectiveness label \"\(raw)\""
        }
    }
}

/// ISO 8601 label times.
enum LabelTime {
    /// The two forms read, built once: format styles are values (`Sendable`), so any thread may share them.
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    /// The first instant of year 1 and of year 10000: labels are dated within the years ISO 8601 writes with four digits.
    private static let years = Date(timeIntervalSince1970: -62_135_596_800)..<Date(timeIntervalSince1970: 253_402_300_800)

    /// The instant `text` names, with or without fractional seconds, or nil (also for a year outside 1…9999).
    static func parse(_ text: String) -> Date? {
        guard let date = (try? fractional.parse(text)) ?? (try? plain.parse(text)), years.contains(date) else { return nil }
        return date
    }
}

extension HumanEffectiveness {
    /// A stored label's effectiveness; one this build does not know is an
    /// error (`LabelError.unknownStoredEffectiveness`), never dropped.
    static func stored(_ raw: String?) throws -> HumanEffectiveness? {
        try raw.map { raw in
            guard let value = HumanEffectiveness(rawValue: raw) else { throw LabelError.unknownStoredEffectiveness(raw) }
            return value
        }
    }
}
