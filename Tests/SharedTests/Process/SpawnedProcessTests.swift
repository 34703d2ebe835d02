import Foundation
import Shared
import SiuoTestSupport
import Synchronization
import Testing

/// A child process as the CLI and the tests run them.
@Suite struct SpawnedProcessTests {
    @Test func aThreadWaitingForTheChildDoesNotKeepAnotherFromKillingIt() async throws {
        let child = try SpawnedProcess("/bin/sleep", ["600"], environment: [:], stdout: .discard, stderr: .discard)
        let waiterID = Mutex<pid_t?>(nil)
        let waiter = Thread {
            waiterID.withLock { $0 = Self.currentThreadID() }
            _ = child.waitUntilExit()
        }
        waiter.start()
        // Seen, not guessed: the waiter's thread is inside the waitid system call.
        try await waitUntil("the waiter blocks in waitid") {
            guard let id = waiterID.withLock({ $0 }) else { return false }
            return Self.systemCall(ofThread: id) == Self.waitidNumber
        }
        let killed = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            child.kill()
            killed.signal()
        }
        let sent = killed.wait(timeout: .now() + 60) == .success
        #expect(sent, "kill() waited on the thread waiting for the child")
        // Never leave a child behind, whatever happened above.
        if !sent { Glibc.kill(child.pid, SIGKILL) }
        let status = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: child.waitUntilExit()) }
        }
        #expect(status == 128 + SIGKILL)
    }

    /// `waitid`'s system call number on this architecture.
    #if arch(x86_64)
        static let waitidNumber = 247
    #else
        static let waitidNumber = 95  // the generic table: arm64, riscv64
    #endif

    /// The kernel's id of the calling thread, read from `/proc/thread-self` (a link to `<pid>/task/<tid>`).
    static func currentThreadID() -> pid_t? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")).flatMap { pid_t($0.split(separator: "/").last ?? "") }
    }

    /// The number of the system call thread `id` of this process is in (the first field of
    /// `/proc/self/task/<id>/syscall`), or nil when it is running or the file cannot be read.
    static func systemCall(ofThread id: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/task/\(id)/syscall", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Int($0) }
    }
}
