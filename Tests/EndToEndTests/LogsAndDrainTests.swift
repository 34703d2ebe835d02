import Foundation
import Shared
import SiuoTestSupport
import Testing

/// A `siuo coordinator` child with `--log-format json`: every stderr line is one JSON object with
/// level, message and metadata, and on SIGTERM `/readyz` turns 503 while the server still answers,
/// for `--drain-seconds`, before it stops.
@Suite struct LogsAndDrainTests {
    /// A coordinator child on a fresh database, logging JSON at debug level to `logFile`, draining for `drain` seconds.
    static func coordinator(suite: String, drain: Int, logFile: String) async throws -> SiuoProcess {
        let url = try await TestDatabase.freshDatabase(suite: suite)
        return try SiuoProcess(
            [
                "coordinator", "--database-url", url, "--listen", "127.0.0.1:0", "--pool-size", "2", "--log-format", "json",
                "--drain-seconds", String(drain),
            ],
            environment: [
                "SIUO_WORKER_TOKEN": TestCoordinator.workerToken, "SIUO_ADMIN_TOKEN": TestCoordinator.adminToken, "SIUO_LOG_LEVEL": "debug",
            ],
            waitForAddress: true, stderrFile: logFile)
    }

    @Test func whileItDrainsTheServerAnswersButIsNotReady() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The longest drain there is: the test sees it however late a loaded machine lets it look, then kills the child.
        let coordinator = try await Self.coordinator(suite: "e2e_drain_serving", drain: 300, logFile: folder.path + "/stderr")
        defer { coordinator.kill() }
        let base = try #require(coordinator.baseURL)
        #expect(try await Probe.get(base + "/readyz").status == 200)
        coordinator.terminate()
        try await waitUntil("/readyz answers 503, draining", every: .milliseconds(50)) {
            let ready = try await Probe.get(base + "/readyz")
            return ready.status == 503 && ready.body.contains("draining")
        }
        #expect(try await Probe.get(base + "/healthz").status == 200, "the server still answers while it drains")
        #expect(coordinator.isRunning)
    }

    @Test func jsonLogsAndAnEndOfItsOwnWhenTheDrainIsOver() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let logFile = folder.path + "/stderr"
        let coordinator = try await Self.coordinator(suite: "e2e_logs_drain", drain: 1, logFile: logFile)
        let base = try #require(coordinator.baseURL)
        #expect(try await Probe.get(base + "/readyz").status == 200)
        coordinator.terminate()
        // It ends by itself when the drain is over; waited for here without blocking a thread the other tests need.
        try await waitUntil("the coordinator ends when its drain is over", every: .milliseconds(100)) { !coordinator.isRunning }
        #expect(coordinator.stop() == 0)

        let lines = try String(contentsOfFile: logFile, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        var records: [[String: Any]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let record = try #require(object, "not one JSON object per line: \(line)")
            #expect(record["level"] is String && record["message"] is String && record["time"] is String && record["label"] is String)
            records.append(record)
        }
        let drain = try #require(records.first { ($0["message"] as? String)?.hasPrefix("draining") == true })
        #expect(drain["level"] as? String == "info")
        #expect((drain["metadata"] as? [String: Any])?["seconds"] as? String == "1")
    }

    @Test func aBadLogLevelOrFormatIsBadInput() async throws {
        let level = try await SiuoProcess.run(["coordinator", "--log-level", "loud"])
        #expect(level.status == 2 && level.stderr.contains("--log-level"), "\(level.output)")
        let format = try await SiuoProcess.run(["worker", "--log-format", "xml"])
        #expect(format.status == 2 && format.stderr.contains("--log-format"), "\(format.output)")
        let environment = try await SiuoProcess.run(["mock-provider"], environment: ["SIUO_LOG_LEVEL": "chatty"])
        #expect(environment.status == 2 && environment.stderr.contains("SIUO_LOG_LEVEL"), "\(environment.output)")
    }
}
