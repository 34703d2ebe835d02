import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A `siuo` started under the soft limit of 1,024 open files most logins give
/// (here 256, below what a busy coordinator or worker holds) runs with its
/// hard limit: the process raises its own, so sockets past the soft limit
/// do not fail with "Too many open files".
@Suite struct OpenFileLimitTests {
    /// The soft and hard "Max open files" of a running process, from `/proc/PID/limits`.
    static func openFileLimits(of pid: pid_t) throws -> (soft: String, hard: String) {
        let text = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let fields = line.dropFirst("Max open files".count).split(separator: " ")
        return (String(fields[0]), String(fields[1]))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/limits"), "reads /proc"))
    func aSiuoStartedUnderALowSoftLimitRaisesItToTheHardLimit() async throws {
        guard SiuoProcess.requireBinary(), let binary = SiuoProcess.binary else { return }
        // `exec` keeps the shell's pid, so the pid seen is the siuo process's, after the shell lowered its soft limit.
        let child = try SpawnedProcess(
            "/bin/sh", ["-c", "ulimit -Sn 256 && exec \"$0\" mock-provider --listen 127.0.0.1:0", binary],
            environment: ProcessInfo.processInfo.environment, stdout: .pipe, stderr: .discard)
        defer {
            child.terminate()
            _ = child.waitUntilExit()
        }
        let line = child.firstLine(within: 120)
        #expect(SpawnedProcess.loopbackURL(in: line) != nil, "the mock provider started: \(line)")
        let limits = try Self.openFileLimits(of: child.pid)
        #expect(limits.soft == limits.hard, "soft \(limits.soft), hard \(limits.hard)")
        #expect(limits.soft != "256")
    }
}
