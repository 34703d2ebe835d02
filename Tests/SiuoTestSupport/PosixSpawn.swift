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
        let child = try SpawnedProcess(executable, arguments, environment: environment, stdout: .file(stdout), stderr: .file(stderr))
        return (child.pid, child.waitUntilExit())
    }
}
