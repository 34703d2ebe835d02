import Shared

/// How a lease ends, as the worker reports it.
public enum JobEnding: Sendable, Equatable {
    /// The job's result.
    case result(JobResult)
    /// No result: retryable or not, with the samples received so far.
    case failure(JobFailure)
    /// Given back unrun (shutdown, or a lease that would expire before a retry).
    case release(LeaseReference)

    /// The job it ends.
    public var jobID: Int64 {
        switch self {
        case .result(let result): result.lease.jobID
        case .failure(let failure): failure.lease.jobID
        case .release(let lease): lease.jobID
        }
    }
}
