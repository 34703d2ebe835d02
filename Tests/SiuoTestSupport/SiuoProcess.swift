import Foundation
import Shared
import Testing

/// A child process running the built `siuo` binary: a coordinator, a worker
/// or a mock provider, as a cluster would run them.
public final class SiuoProcess: @unchecked Sendable {
    /// Started with `posix_spawn` (`SpawnedProcess`): `Foundation.Process.run()` crashed the test
    /// process now and then, and a cluster test starts dozens of children.
    private let process: SpawnedProcess
    /// The address it printed on its first line, when asked to wait for one.
    public let baseURL: String?
    /// That first line, when asked to wait for one (`siuo view` prints its address with a token there).
    public let firstLine: String?

    /// The built `siuo` binary (or `$SIUO_TEST_BINARY`, e.g. a copy a long run
    /// uses while the build goes on), or `nil` when it has not been built.
    public static var binary: String? {
        let path = ProcessInfo.processInfo.environment["SIUO_TEST_BINARY"] ?? RepositoryPaths.root + "/.build/debug/siuo"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// What to do when there is no `binary`.
    static let notBuilt = "build siuo first (swift build)"

    /// Whether `binary` exists; when it does not, records an issue at the caller, so a test
    /// that needs the binary fails instead of passing without running (scripts/test builds it
    /// first; a bare `swift test` may not have).
    public static func requireBinary(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard binary == nil else { return true }
        Issue.record(Comment(rawValue: notBuilt), sourceLocation: sourceLocation)
        return false
    }

    /// Starts `siuo arguments…`; with `waitForAddress`, waits (120 s at most)
    /// for the first line and reads the loopback URL it names. Its stderr goes to `stderrFile` when
    /// given, else nowhere.
    public init(_ arguments: [String], environment extra: [String: String] = [:], waitForAddress: Bool, stderrFile: String? = nil) throws {
        guard let binary = Self.binary else { throw CoordinatorClientError(status: 0, message: Self.notBuilt) }
        let process = try SpawnedProcess(
            binary, arguments, environment: ProcessInfo.processInfo.environment.merging(extra) { $1 }, stdout: .pipe,
            stderr: stderrFile.map { .file($0) } ?? .discard)
        self.process = process
        guard waitForAddress else {
            baseURL = nil
            firstLine = nil
            process.drainOutput()
            return
        }
        let text = process.firstLine(within: 120)
        guard let url = SpawnedProcess.loopbackURL(in: text) else {
            process.terminate()
            process.waitUntilExit()
            throw CoordinatorClientError(status: 0, message: "siuo \(arguments.first ?? "") did not start: \(text)")
        }
        baseURL = url
        self.firstLine = text
    }

    /// What a command run to its end printed, and its exit status.
    public struct Finished: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
        /// Both, stdout first.
        public var output: String { stdout + stderr }
    }

    /// Runs `siuo arguments…` to its end, stdout and stderr apart (with
    /// `PosixSpawn`, away from `Foundation.Process.run`'s intermittent crash).
    public static func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Finished {
        guard let binary else { throw CoordinatorClientError(status: 0, message: notBuilt) }
        let folder = try TemporaryFolder(prefix: "siuo-output")
        defer { folder.remove() }
        let outPath = folder.path + "/stdout"
        let errPath = folder.path + "/stderr"
        let ended = try await PosixSpawn.runOffPool(
            binary, arguments, environment: ProcessInfo.processInfo.environment.merging(extra) { $1 },
            stdout: outPath, stderr: errPath)
        return Finished(
            status: ended.status, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    /// Whether it still runs.
    public var isRunning: Bool { process.isRunning }

    /// Stops it the way an orchestrator would (SIGTERM) and returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        process.terminate()
        return process.waitUntilExit()
    }

    /// Sends SIGTERM and returns at once; `stop()` then waits for the exit.
    public func terminate() {
        process.terminate()
    }

    /// Kills it without warning (SIGKILL), as a crash or an OOM kill would.
    public func kill() {
        process.kill()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
