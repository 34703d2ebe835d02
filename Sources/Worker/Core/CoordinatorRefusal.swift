import Shared

/// What a worker does when the coordinator answers a call with an error: the
/// one place that reads the status of a failed coordinator call.
enum CoordinatorRefusal: Equatable, Sendable {
    /// The request itself is invalid (400, 413, 422): sending it again can
    /// never succeed, so a report is split and the ending at fault dropped.
    case invalid
    /// The coordinator refuses this worker's token (401, 403): stop, and say why.
    case unauthorized
    /// Anything else (unreachable, 5xx, 429): the same call may succeed later.
    case transient

    /// The class of `error`, thrown by a coordinator call.
    init(_ error: any Error) {
        guard let answered = error as? CoordinatorClientError else {
            self = .transient
            return
        }
        switch answered.status {
        case 400, 413, 422: self = .invalid
        case 401, 403: self = .unauthorized
        default: self = .transient
        }
    }
}
