import Testing

/// A `waitUntil` that ran out of time; the issue is already recorded where the wait was called.
public struct WaitTimedOut: Error, CustomStringConvertible {
    /// What the test was waiting for.
    public var what: String

    /// Names the wait.
    public var description: String { "timed out waiting until \(what)" }
}

/// Polls `condition` every `interval` until it holds. After `limit` (300 s unless told: a bound for a
/// stuck test, not a timing assertion, since a loaded CI machine can be very slow) it records an issue
/// at the caller and throws `WaitTimedOut`, so no wait can hang a run or give up unnoticed.
public func waitUntil(
    _ what: String, limit: Duration = .seconds(300), every interval: Duration = .milliseconds(20),
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            let timedOut = WaitTimedOut(what: what)
            Issue.record(Comment(rawValue: timedOut.description), sourceLocation: sourceLocation)
            throw timedOut
        }
        try await Task.sleep(for: interval)
    }
}
