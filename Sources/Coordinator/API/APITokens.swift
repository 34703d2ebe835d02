import Crypto
import Foundation

/// The bearer tokens and the role each grants (docs/operations.md, "Tokens and roles"): workers',
/// admins' (everything), and the optional read-only viewers' and reviewers' (read and label).
public struct APITokens: Sendable {
    private let tokens: [(role: Role, token: String)]

    /// Who holds a token.
    public enum Role: String, Sendable, CaseIterable {
        /// `SIUO_WORKER_TOKEN`: leases, results, permits, images.
        case worker
        /// `SIUO_VIEWER_TOKEN`: reads sweeps, reports, cases and labels.
        case viewer
        /// `SIUO_REVIEWER_TOKEN`: what a viewer may, and labels responses.
        case reviewer
        /// `SIUO_ADMIN_TOKEN`: everything.
        case admin
    }

    /// Who may call a route.
    public enum Access: String, Sendable {
        /// No token: `/healthz`, `/readyz`, `/metrics`.
        case `public`
        /// The worker's routes.
        case worker
        /// Reading sweeps, reports, cases and labels.
        case read
        /// Fetching a dataset image: workers and every reader.
        case images
        /// Writing human labels.
        case label
        /// Submitting and steering sweeps.
        case admin

        /// Whether a holder of `role` may call a route with this access.
        public func allows(_ role: Role?) -> Bool {
            switch (self, role) {
            case (.public, _): return true
            case (_, nil): return false
            case (_, .admin?): return true
            case (.worker, .worker?): return true
            case (.read, .viewer?), (.read, .reviewer?): return true
            case (.images, .worker?), (.images, .viewer?), (.images, .reviewer?): return true
            case (.label, .reviewer?): return true
            default: return false
            }
        }
    }

    /// The worker and admin tokens are required: a coordinator without them refuses to start. The
    /// viewer and reviewer tokens are optional; no two tokens may be equal (a token names one role).
    public init(worker: String?, admin: String?, viewer: String? = nil, reviewer: String? = nil) throws {
        var missing: [String] = []
        if (worker ?? "").isEmpty { missing.append("SIUO_WORKER_TOKEN (or --worker-token-file)") }
        if (admin ?? "").isEmpty { missing.append("SIUO_ADMIN_TOKEN (or --admin-token-file)") }
        guard missing.isEmpty, let worker, let admin else { throw MissingTokens(names: missing) }
        var tokens: [(role: Role, token: String)] = [(.worker, worker), (.admin, admin)]
        if let viewer, !viewer.isEmpty { tokens.append((.viewer, viewer)) }
        if let reviewer, !reviewer.isEmpty { tokens.append((.reviewer, reviewer)) }
        let distinct = Set(tokens.map(\.token))
        guard distinct.count == tokens.count else { throw SharedToken(roles: tokens.map(\.role)) }
        self.tokens = tokens
    }

    /// The role `header` (an `Authorization` value) names, or nil when it names none.
    public func role(authorization header: String?) -> Role? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        let given = SHA256.hash(data: Data(header.dropFirst(7).utf8))
        // Every token is compared, whatever matched, so the time taken says nothing about which role it was.
        var found: Role?
        for (role, token) in tokens where Self.equal(given, SHA256.hash(data: Data(token.utf8))) { found = role }
        return found
    }

    /// Compares digests byte by byte without stopping early, so the time taken says nothing about how
    /// much of a guess was right (or its length).
    private static func equal(_ left: SHA256.Digest, _ right: SHA256.Digest) -> Bool {
        var difference: UInt8 = 0
        for (one, other) in zip(left, right) { difference |= one ^ other }
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

    /// Two roles were given the same token.
    public struct SharedToken: Error, CustomStringConvertible {
        /// The roles configured.
        public var roles: [Role]

        /// What to do.
        public var description: String {
            "each role needs its own token, but two of \(roles.map(\.rawValue).joined(separator: ", ")) are the same"
        }
    }
}
