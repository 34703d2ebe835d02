import Foundation
import Shared

/// A `siuo coordinator` child process on a free loopback port, with the test tokens.
public final class CoordinatorProcess: @unchecked Sendable {
    /// Where the coordinator listens.
    public let baseURL: String
    private let process: SiuoProcess

    /// Starts a coordinator on `databaseURL` and waits until it listens.
    public init(databaseURL: String) throws {
        process = try SiuoProcess(
            ["coordinator", "--database-url", databaseURL, "--listen", "127.0.0.1:0", "--pool-size", "4", "--drain-seconds", "0"],
            environment: ["SIUO_WORKER_TOKEN": TestCoordinator.workerToken, "SIUO_ADMIN_TOKEN": TestCoordinator.adminToken],
            waitForAddress: true)
        baseURL = process.baseURL!
    }

    /// Stops it the way an orchestrator would (SIGTERM) and waits.
    public func stop() {
        process.stop()
    }
}
