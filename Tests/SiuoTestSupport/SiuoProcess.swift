import Foundation
import Shared

/// A child process running the built `siuo` binary: a coordinator, a worker
/// or a mock provider, as a cluster would run them.
public final class SiuoProcess: @unchecked Sendable {
    private let process: Process
    /// The address it printed on its first line, when asked to wait for one.
    public let baseURL: String?

    /// The built `siuo` binary (or `$SIUO_TEST_BINARY`, e.g. a copy a long run
    /// uses while the build goes on), or `nil` when it has not been built.
    public static var binary: String? {
        let path = ProcessInfo.processInfo.environment["SIUO_TEST_BINARY"] ?? RepositoryPaths.root + "/.build/debug/siuo"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Starts `siuo arguments…`; with `waitForAddress`, waits (30 s at most)
    /// for the first line and reads the loopback URL it names.
    public init(_ arguments: [String], environment extra: [String: String] = [:], waitForAddress: Bool) throws {
        guard let binary = Self.binary else { throw CoordinatorClientError(status: 0, message: "build siuo first (swift build)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        guard waitForAddress else {
            baseURL = nil
            output.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
            return
        }
        let firstLine = LineCollector()
        output.fileHandleForReading.readabilityHandler = { handle in firstLine.append(handle.availableData) }
        let text = firstLine.wait(seconds: 30)
        guard let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
            process.terminate()
            throw CoordinatorClientError(status: 0, message: "siuo \(arguments.first ?? "") did not start: \(text)")
        }
        baseURL = String(text[range])
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

    /// Runs `siuo arguments…` to its end, stdout and stderr apart.
    ///
    /// Spawned with `posix_spawn`, not `Foundation.Process`: its `run()` in
    /// Swift 6.3 over-reads `/proc/self/fd` entries and crashes now and then
    /// (swift-corelibs-foundation PR #5472), which the many short commands
    /// these tests run would make likely. The child keeps only fds 0–2.
    public static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Finished {
        guard let binary else { throw CoordinatorClientError(status: 0, message: "build siuo first (swift build)") }
        let folder = try TemporaryFolder(prefix: "siuo-output")
        defer { folder.remove() }
        let outPath = folder.path + "/stdout", errPath = folder.path + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeInheritedFiles(&actions)
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // Exited: its status; killed by a signal: 128 + the signal, as a shell reports it.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f
        return Finished(status: code, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
                        stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    /// Closes every fd above 2 in the child (glibc's `posix_spawn_file_actions_addclosefrom_np`,
    /// looked up at run time since Swift's Glibc module does not declare it).
    private static func closeInheritedFiles(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }

    /// Whether it still runs.
    public var isRunning: Bool { process.isRunning }

    /// Stops it the way an orchestrator would (SIGTERM) and returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills it without warning (SIGKILL), as a crash or an OOM kill would.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }
}
