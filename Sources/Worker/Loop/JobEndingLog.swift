import Logging
import Shared

/// What the worker logs when a job ends: one record per ending, with the
/// job's sweep, model, endpoint, job id and attempt as metadata, never
/// pasted into the message (the worker's id is on the logger itself). The
/// lease token is left out: it is what proves a lease, not a label.
struct JobEndingLog: Equatable {
    /// The record's level: failures the provider gave for good at `warning`,
    /// ones the coordinator retries at `info`, everything else at `debug`.
    var level: Logger.Level
    /// The record's fixed message.
    var message: String
    /// The job's labels and, for a failure, its error.
    var metadata: [String: String]

    /// The record for `ending`, which ended `lease`.
    init(_ ending: JobEnding, of lease: JobLease) {
        let endpoint = lease.model.endpointKey
        var metadata = [
            "sweep": lease.sweep, "model": lease.model.name, "job": String(lease.jobID), "kind": lease.kind.rawValue,
            "attempt": String(lease.attempt), "endpoint": "\(endpoint.provider.rawValue) \(endpoint.baseURL) \(endpoint.model)",
        ]
        switch ending {
        case .result:
            (level, message) = (.debug, "job done")
        case .deferral(let deferral):
            metadata["calls"] = String(deferral.calls.count)
            (level, message) = (.debug, "job deferred to a provider batch")
        case .release:
            (level, message) = (.debug, "job released unfinished")
        case .failure(let failure):
            metadata["error"] = failure.error
            if failure.throttled {
                (level, message) = (.debug, "job throttled by the provider; it goes back to the queue")
            } else if failure.retryable {
                (level, message) = (.info, "job attempt failed; the coordinator retries it")
            } else {
                (level, message) = (.warning, "job failed: the provider refused it for good")
            }
        }
        self.metadata = metadata
    }

    /// Writes the record to `logger`.
    func write(to logger: Logger) {
        logger.log(level: level, "\(message)", metadata: metadata.mapValues { .string($0) })
    }
}
