import Foundation
import Shared

/// The `siuo mock-provider` child processes a sweep needs: one per address
/// its `provider: mock` models name (by default `127.0.0.1:8787`), so the
/// sweep's endpoints, and with them its identity, stay the same run after run.
final class MockChildren: @unchecked Sendable {
    private var processes: [SpawnedProcess] = []
    /// Starting a child waits on its output: never on Swift's cooperative pool.
    private let thread = DedicatedThread(name: "siuo-mock-children")

    /// The loopback addresses (`host:port`) of the sweep's mock models. A
    /// mock model elsewhere is a problem of the sweep file `file` (`siuo
    /// run` starts its mocks here), found before anything is written.
    static func addresses(_ definition: SweepDefinition, file: String) throws(SweepFileError) -> [String] {
        let roles =
            definition.models.enumerated().map { ("models[\($0.offset)]", $0.element) }
            + [("judge", definition.judge), ("fallback_judge", definition.fallbackJudge), ("second_judge", definition.secondJudge)]
            .compactMap { path, model in model.map { (path, $0) } }
        var addresses: [String] = []
        var problems: [SweepProblem] = []
        for (path, model) in roles where model.provider == .mock {
            guard let url = URL(string: model.baseURL), let host = url.host, ["127.0.0.1", "localhost"].contains(host) else {
                problems.append(
                    SweepProblem(
                        file: file, field: path + ".base_url",
                        message: "\(model.baseURL) is not http://127.0.0.1:PORT/…: `siuo run` starts its mock providers on loopback"))
                continue
            }
            let address = "127.0.0.1:\(url.port ?? 80)"
            if !addresses.contains(address) { addresses.append(address) }
        }
        guard problems.isEmpty else { throw SweepFileError(problems: problems) }
        return addresses
    }

    /// Starts one mock per address with `seed` and an optional JSON config, and waits until each listens.
    func start(addresses: [String], seed: Int, config: String?) async throws {
        try await thread.run { try self.startBlocking(addresses: addresses, seed: seed, config: config) }
    }

    private func startBlocking(addresses: [String], seed: Int, config: String?) throws {
        for address in addresses {
            let process = try SpawnedProcess(
                Self.executable,
                ["mock-provider", "--listen", address, "--seed", String(seed), "--exit-with-parent"] + (config.map { ["--config", $0] } ?? []),
                environment: ProcessInfo.processInfo.environment, stdout: .pipe, stderr: .pipe)
            processes.append(process)
            let line = process.firstLine(within: 20)
            guard line.contains("listening") else {
                process.terminate()
                process.waitUntilExit()
                let reason =
                    String(decoding: (try? process.standardError?.readToEnd()) ?? Data(), as: UTF8.self)
                    .split(separator: "\n").last.map(String.init) ?? "no output"
                let hint =
                    reason.contains("in use")
                    ? " (a mock left running by an earlier run? stop it, or give the mock models another port in base_url)" : ""
                throw RunError("the mock provider for \(address) did not start: \(reason)\(hint)")
            }
            // Keep draining its errors too (firstLine drains stdout) so it never blocks on a full pipe.
            process.drainOutput()
        }
    }

    /// Stops every mock (SIGTERM) and waits for it, on the children's own thread.
    func stop() async {
        try? await thread.run { self.stopBlocking() }
    }

    private func stopBlocking() {
        for process in processes where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        processes.removeAll()
    }

    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
