import Foundation
import Shared

/// Runs a program to its end with `posix_spawn`, not `Foundation.Process`:
/// `Process.run()` in Swift 6.3 over-reads `/proc/self/fd` entries and
/// crashes the test process now and then (swift-corelibs-foundation PR
/// #5472), which many short commands make likely. The child gets
/// `/dev/null` as stdin, the two files as stdout and stderr, and no other fd.
public enum PosixSpawn {
    /// `run` on a thread of its own, so the wait for the child never holds a thread of Swift's
    /// cooperative pool (two threads here: two such waits would stall every task in the test run).
    public static func runOffPool(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) async throws -> (pid: pid_t, status: Int32) {
        try await DedicatedThread(name: "spawn").run {
            try run(executable, arguments, environment: environment, stdout: stdout, stderr: stderr)
        }
    }

    /// Where a child's stdout or stderr goes.
    public enum Output {
        /// A file, created or truncated.
        case file(String)
        /// A descriptor of ours (the write end of a pipe, say), duplicated onto the child's.
        case descriptor(Int32)
    }

    /// Runs `executable arguments…` with exactly `environment` and waits.
    /// Returns its pid and its status (128 + the signal when one killed it, as a shell reports it).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) throws -> (pid: pid_t, status: Int32) {
        let pid = try spawn(executable, arguments, environment: environment, stdout: .file(stdout), stderr: .file(stderr))
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (pid, exitStatus(status))
    }

    /// Starts `executable arguments…` with exactly `environment`, stdin from /dev/null and
    /// every other descriptor closed, and returns its pid at once; the caller reaps it.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: Output, stderr: Output
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (target, output) in [(Int32(1), stdout), (2, stderr)] {
            switch output {
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            }
        }
        closeInheritedFiles(&actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return pid
    }

    /// A `waitpid` status as a shell reports it: the exit code, or 128 + the signal.
    public static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f
    }

    /// Closes every fd above 2 in the child (glibc's `posix_spawn_file_actions_addclosefrom_np`,
    /// looked up at run time since Swift's Glibc module does not declare it).
    private static func closeInheritedFiles(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
