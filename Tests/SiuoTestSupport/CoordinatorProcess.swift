import Foundation
import Shared

/// A `siuo coordinator` child process (the binary `swift build` made) on a
/// free loopback port, with the test tokens.
public final class CoordinatorProcess: @unchecked Sendable {
    /// Where the coordinator listens.
    public let baseURL: String
    private let process: Process

    /// The built `siuo` binary, or `nil` when it has not been built.
    public static var binary: String? {
        let path = RepositoryPaths.root + "/.build/debug/siuo"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Starts a coordinator on `databaseURL` and waits until it listens.
    public init(databaseURL: String) throws {
        guard let binary = Self.binary else { throw CoordinatorClientError(status: 0, message: "build siuo first (swift build)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["coordinator", "--database-url", databaseURL, "--listen", "127.0.0.1:0", "--pool-size", "4"]
        var environment = ProcessInfo.processInfo.environment
        environment["SIUO_WORKER_TOKEN"] = TestCoordinator.workerToken
        environment["SIUO_ADMIN_TOKEN"] = TestCoordinator.adminToken
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // The first line it prints names the port it got; wait for it, but not forever.
        let firstLine = FirstLine()
        output.fileHandleForReading.readabilityHandler = { handle in firstLine.append(handle.availableData) }
        let text = firstLine.wait(seconds: 30)
        output.fileHandleForReading.readabilityHandler = nil
        guard let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
            process.terminate()
            throw CoordinatorClientError(status: 0, message: "the coordinator did not start: \(text)")
        }
        baseURL = String(text[range])
    }

    /// Stops it the way an orchestrator would (SIGTERM) and waits.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit {
        stop()
    }
}

/// Collects output until a newline arrives.
private final class FirstLine: @unchecked Sendable {
    private let condition = NSCondition()
    private var text = ""

    func append(_ data: Data) {
        condition.lock()
        text += String(decoding: data, as: UTF8.self)
        if text.contains("\n") || data.isEmpty { condition.broadcast() }
        condition.unlock()
    }

    func wait(seconds: TimeInterval) -> String {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !text.contains("\n"), condition.wait(until: deadline) {}
        return text
    }
}
