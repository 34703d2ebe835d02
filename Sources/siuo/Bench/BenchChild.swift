import Foundation
import Shared

/// A `siuo` child process of the running executable (so a release bench
/// measures release children), whose CPU and memory can be read from `/proc`.
final class BenchChild: @unchecked Sendable {
    private let process: SpawnedProcess
    /// The URL it printed on its first line, when asked to wait for one.
    let baseURL: String?

    /// Waiting on children (their first line, their exit) blocks: never on Swift's cooperative pool.
    private static let thread = DedicatedThread(name: "siuo-bench-children")

    /// Starts `siuo arguments…`; with `waitForAddress`, reads the loopback URL from its first line.
    static func start(_ arguments: [String], environment: [String: String], waitForAddress: Bool) async throws -> BenchChild {
        try await thread.run { try BenchChild(arguments, environment: environment, waitForAddress: waitForAddress) }
    }

    private init(_ arguments: [String], environment: [String: String], waitForAddress: Bool) throws {
        process = try SpawnedProcess(
            MockChildren.executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            stdout: .pipe, stderr: .discard)
        guard waitForAddress else {
            baseURL = nil
            process.drainOutput()
            return
        }
        let line = process.firstLine(within: 30)
        guard let url = SpawnedProcess.loopbackURL(in: line) else {
            process.terminate()
            process.waitUntilExit()
            throw RunError("siuo \(arguments.first ?? "") did not start: \(line.isEmpty ? "no output" : line)")
        }
        baseURL = url
    }

    var pid: Int32 { process.pid }

    /// CPU and peak RSS so far, while it runs.
    var usage: ProcessUsage? { ProcessUsage.of(pid: pid) }

    /// SIGTERM, and waits.
    func stop() async {
        try? await Self.thread.run { [process] in
            process.terminate()
            _ = process.waitUntilExit()
        }
    }
}
