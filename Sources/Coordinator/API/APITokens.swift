import Crypto
import Foundation

/// The two bearer tokens (docs/operations.md, "Commands"): workers', and admins' for everything
/// else under `/v1`.
public struct APITokens: Sendable {
    let worker: String
    let admin: String

    /// Who may call a route.
    public enum Access: String, Sendable {
        /// No token: `/healthz`, `/readyz`, `/metrics`.
        case `public`
        /// `SIUO_WORKER_TOKEN`.
        case worker
        /// `SIUO_ADMIN_TOKEN`.
        case admin
    }

    /// Both tokens are required: a coordinator without them refuses to start.
    public init(worker: String?, admin: String?) throws {
        var missing: [String] = []
        if (worker ?? "").isEmpty { missing.append("SIUO_WORKER_TOKEN (or --worker-token-file)") }
        if (admin ?? "").isEmpty { missing.append("SIUO_ADMIN_TOKEN (or --admin-token-file)") }
        guard missing.isEmpty, let worker, let admin else { throw MissingTokens(names: missing) }
        self.worker = worker
        self.admin = admin
    }

    /// Whether `header` (an `Authorization` value) grants `access`.
    func permits(_ access: Access, authorization header: String?) -> Bool {
        switch access {
        case .public: return true
        case .worker: return Self.matches(header, worker)
        case .admin: return Self.matches(header, admin)
        }
    }

    /// Compares digests byte by byte without stopping early, so the time
    /// taken says nothing about how much of a guess was right (or its length).
    static func matches(_ header: String?, _ token: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = SHA256.hash(data: Data(header.dropFirst(7).utf8))
        let expected = SHA256.hash(data: Data(token.utf8))
        var difference: UInt8 = 0
        for (left, right) in zip(given, expected) { difference |= left ^ right }
        return difference == 0
    }

    /// The coordinator was started without a token.
    public struct MissingTokens: Error, CustomStringConvertible {
        /// What to set.
        public var names: [String]

        /// What to do.
        public var description: String {
            "the coordinator needs both tokens; set \(names.joined(separator: " and "))"
        }
    }
}
