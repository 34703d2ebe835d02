import Shared

/// How a lease ends, as the worker reports it.
public enum JobEnding: Sendable, Equatable {
    /// The job's result.
    case result(JobResult)
    /// No result: retryable or not, with the samples received so far.
    case failure(JobFailure)
    /// Its requests wait for a provider batch (a batch-lane job).
    case deferral(JobDeferral)
    /// Given back unrun or cut short: leased while the worker was stopping,
    /// or its task was cancelled (shutdown, a lost lease). A lease that would
    /// expire before a retry is not a release but a failure that counts no
    /// attempt (`LeaseStop`, `countsAsAttempt: false`).
    case release(LeaseReference)

    /// The lease it ends.
    public var lease: LeaseReference {
        switch self {
        case .result(let result): result.lease
        case .failure(let failure): failure.lease
        case .deferral(let deferral): deferral.lease
        case .release(let lease): lease
        }
    }

    /// Its kind, for logs: `result`, `failure`, `deferral` or `release`.
    var kindName: String {
        switch self {
        case .result: "result"
        case .failure: "failure"
        case .deferral: "deferral"
        case .release: "release"
        }
    }

    /// About how many bytes it takes on the wire.
    var approximateBytes: Int {
        switch self {
        case .result(let result):
            256 + result.samples.reduce(0) { $0 + 256 + $1.text.utf8.count } + (result.verdict?.judgeText.utf8.count ?? 0)
        case .failure(let failure):
            256 + failure.error.utf8.count + failure.samples.reduce(0) { $0 + 256 + $1.text.utf8.count }
        case .deferral(let deferral):
            256 + deferral.calls.reduce(0) { $0 + 128 + $1.prompt.utf8.count } + deferral.samples.reduce(0) { $0 + 256 + $1.text.utf8.count }
        case .release:
            128
        }
    }

    /// The job it ends.
    public var jobID: Int64 {
        switch self {
        case .result(let result): result.lease.jobID
        case .failure(let failure): failure.lease.jobID
        case .deferral(let deferral): deferral.lease.jobID
        case .release(let lease): lease.jobID
        }
    }
}
