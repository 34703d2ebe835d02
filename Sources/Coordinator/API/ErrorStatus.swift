import Hummingbird
import Logging

/// The one place where an error becomes an HTTP status. Every route's
/// handler throws what its store threw; the registrar asks this for the
/// status and the `{"error": "…"}` body, so a store error can never leak as
/// an unmapped 500 on one route and a 400 on another.
enum ErrorStatus {
    /// The status and message for `error`; `nil` for an error nobody mapped (a bug: 500, logged).
    static func of(_ error: any Error) -> (status: HTTPResponse.Status, message: String)? {
        switch error {
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase)
        case let error as InvalidResultError:
            // The request is impossible (an index out of range, usage out of bounds): nothing was written.
            return (.badRequest, error.description)
        case let error as BatchReportError:
            // A report that cannot be right about any batch: nothing was written.
            return (.badRequest, error.description)
        case let error as SweepStoreError:
            switch error {
            case .notFound: return (.notFound, error.description)
            case .identityChanged: return (.conflict, error.description)
            case .invalidLimit: return (.badRequest, error.description)
            case .datasetNotFound, .datasetHasNoMCQA, .unknownCategories: return (.unprocessableContent, error.description)
            }
        case let error as CaseStoreError:
            return (.notFound, error.description)
        case let error as LabelError:
            switch error {
            case .invalid, .tooMany: return (.badRequest, error.description)
            case .unknownStoredEffectiveness: return nil
            }
        case let error as PostgresError where error.kind == .connectionLost || error.kind == .connectionFailed:
            return (.serviceUnavailable, "the database is unavailable; try again")
        case let error as PostgresError where error.kind == .queryCanceled:
            // The statement timeout (or an administrator) stopped it: nothing of the transaction was written.
            return (.serviceUnavailable, "the database did not answer in time; nothing was written; try again")
        case let error as PostgresError where [.deadlockDetected, .serializationFailure, .lockNotAvailable].contains(error.kind):
            // PostgreSQL stopped the transaction to settle a conflict with another: nothing of it was written.
            return (.serviceUnavailable, "the database stopped this request over a conflict with another; nothing was written; try again")
        case is CancellationError:
            // The request's task was cancelled (the server is stopping): whatever it was writing rolled back.
            return (.serviceUnavailable, "the request was cancelled; nothing was written; try again")
        default:
            return nil
        }
    }

    /// The response for `error`, logging the unmapped ones (their text may hold internals, so it is not sent).
    static func response(for error: any Error, logger: Logger) -> Response {
        guard let (status, message) = of(error) else {
            logger.error("unhandled error in a route", metadata: ["error": "\(error)"])
            return JSONResponses.error(.internalServerError, "internal error")
        }
        var response = JSONResponses.error(status, message)
        if let error = error as? HTTPError { response.headers.append(contentsOf: error.headers) }
        return response
    }
}
