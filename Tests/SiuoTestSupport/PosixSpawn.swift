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

    /// Runs `executable arguments…` with exactly `environment` and waits.
    /// Returns its pid and its status (128 + the signal when one killed it, as a shell reports it).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) throws -> (pid: pid_t, status: Int32) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeInheritedFiles(&actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (pid, status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f)
    }

    /// Closes every fd above 2 in the child (glibc's `posix_spawn_file_actions_addclosefrom_np`,
    /// looked up at run time since Swift's Glibc module does not declare it).
    private static func closeInheritedFiles(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
