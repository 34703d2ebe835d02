import Foundation
import Shared
import Testing

/// A child process as the CLI and the tests run them.
@Suite struct SpawnedProcessTests {
    @Test func aThreadWaitingForTheChildDoesNotKeepAnotherFromKillingIt() async throws {
        let child = try SpawnedProcess("/bin/sleep", ["600"], environment: [:], stdout: .discard, stderr: .discard)
        let waiter = Thread { _ = child.waitUntilExit() }
        waiter.start()
        // Give the waiter time to block in its wait.
        try await Task.sleep(for: .milliseconds(200))
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
}
