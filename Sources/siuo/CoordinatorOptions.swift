import ArgumentParser
import Foundation
import Shared

/// How a command reaches a running coordinator: `--coordinator URL` or
/// `SIUO_COORDINATOR_URL`, with the admin token from `SIUO_ADMIN_TOKEN` or a file.
struct CoordinatorOptions: ParsableArguments {
    @Option(
        name: .customLong("coordinator"),
        help: ArgumentHelp(
            "Coordinator URL (default: $SIUO_COORDINATOR_URL).", valueName: "url"))
    var url: String?

    @Option(
        name: .customLong("admin-token-file"),
        help: ArgumentHelp(
            "File holding the admin token (default: $SIUO_ADMIN_TOKEN).", valueName: "file"))
    var adminTokenFile: String?

    /// The coordinator named by flag or environment, if any.
    var coordinatorURL: String? {
        Setting.value(url, environment: "SIUO_COORDINATOR_URL")
    }

    /// An admin client, or a clear error when no coordinator or token is given.
    func adminClient(for command: String) throws -> CoordinatorClient {
        guard let coordinatorURL else {
            throw ValidationError("\(command) needs a running coordinator: pass --coordinator URL or set SIUO_COORDINATOR_URL")
        }
        let token = try TokenSource.read(file: adminTokenFile, environment: "SIUO_ADMIN_TOKEN")
        guard let token else {
            throw ValidationError("\(command) needs the admin token: set SIUO_ADMIN_TOKEN or pass --admin-token-file")
        }
        return CoordinatorClient(baseURL: coordinatorURL, token: token)
    }
}

/// A token from a file (trimmed) or else an environment variable.
enum TokenSource {
    static func read(file: String?, environment name: String) throws -> String? {
        if let file {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            } catch {
                throw ValidationError("\(file): cannot read the token file")
            }
        }
        return Setting.value(nil, environment: name)
    }
}
