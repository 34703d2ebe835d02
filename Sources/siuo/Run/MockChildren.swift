import Foundation
import Shared

/// The `siuo mock-provider` child processes a sweep needs: one per address
/// its `provider: mock` models name (by default `127.0.0.1:8787`), so the
/// sweep's endpoints, and with them its identity, stay the same run after run.
final class MockChildren: @unchecked Sendable {
    private var processes: [SpawnedProcess] = []
    /// Starting a child waits on its output: never on Swift's cooperative pool.
    private let thread = DedicatedThread(name: "siuo-mock-children")

    /// The loopback addresses (`host:port`) of the sweep's mock models.
    static func addresses(_ definition: SweepDefinition) throws -> [String] {
        let mocks = (definition.models + definition.judges).filter { $0.provider == .mock }
        var addresses: [String] = []
        for model in mocks {
            guard let url = URL(string: model.baseURL), let host = url.host, ["127.0.0.1", "localhost"].contains(host) else {
                throw RunError("model \(model.name): a mock provider runs on loopback; base_url \(model.baseURL) is not http://127.0.0.1:PORT/…")
            }
            let address = "127.0.0.1:\(url.port ?? 80)"
            if !addresses.contains(address) { addresses.append(address) }
        }
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

    /// Stops every mock (SIGTERM) and waits for it.
    func stop() {
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
