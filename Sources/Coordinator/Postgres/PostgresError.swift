/// An error from PostgreSQL or from talking to it, classified by SQLSTATE so
/// callers can react to the kind (retry a serialization failure, treat a
/// unique violation as "already there") without parsing messages.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as far as callers need to distinguish.
    public enum Kind: Sendable, Equatable {
        /// 23505: a unique constraint or index refused the row.
        case uniqueViolation
        /// 23503: a foreign key refused the row.
        case foreignKeyViolation
        /// 23514: a check constraint refused the row.
        case checkViolation
        /// 23502: a NOT NULL column got no value.
        case notNullViolation
        /// 40001: concurrent transactions conflicted; run the transaction again.
        case serializationFailure
        /// 40P01: deadlock; run the transaction again.
        case deadlockDetected
        /// 55P03: `NOWAIT`/lock timeout.
        case lockNotAvailable
        /// 57014: the statement ran past `statement_timeout`
        /// (`PostgresSessionSettings`), or an administrator cancelled it. A
        /// statement cancelled because its task was cancelled throws
        /// `CancellationError` instead.
        case queryCanceled
        /// The connection broke (server restart, network); the next use reconnects.
        case connectionLost
        /// No connection could be made at all.
        case connectionFailed
        /// A row value could not be decoded as the requested Swift type.
        case decoding
        /// Any other server error; see `sqlState`.
        case other
    }

    /// The classification.
    public var kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The primary message.
    public var message: String
    /// The server's DETAIL field, when present.
    public var detail: String?
    /// The constraint at fault, when the server names one.
    public var constraint: String?

    /// Creates an error; `kind` defaults to the classification of `sqlState`.
    public init(kind: Kind? = nil, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil) {
        self.kind = kind ?? Self.kind(forSQLState: sqlState)
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// The message, with the SQLSTATE and detail when known.
    public var description: String {
        var text = "database error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        return text
    }

    /// Maps SQLSTATE codes onto kinds (PostgreSQL manual, appendix A).
    public static func kind(forSQLState state: String?) -> Kind {
        guard let state else { return .other }
        switch state {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "23514": return .checkViolation
        case "23502": return .notNullViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "55P03": return .lockNotAvailable
        case "57014": return .queryCanceled
        case "57P01", "57P02", "57P03": return .connectionLost
        default: return state.hasPrefix("08") ? .connectionLost : .other
        }
    }
}
