import Foundation
import Shared

/// Runs a helper program (initdb, pg_ctl, test) to completion, as the server
/// account when that is not us.
struct CommandRunner: Sendable {
    /// What a finished command left behind.
    struct Outcome {
        var status: Int32
        var output: String
        var succeeded: Bool { status == 0 }
    }

    /// When set, commands run as this user through `runuser` (we are root).
    var runAsUser: String?

    /// Runs `executable` with `arguments`, stdout and stderr merged, from `/`
    /// (the server account may not be able to enter our working directory).
    func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("siuo-command-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var command = [executable] + arguments
        if let runAsUser {
            command = [Self.runuserPath, "-u", runAsUser, "--"] + command
        }
        let status: Int32
        do {
            // From `/`, output merged into one file, exit seen through waitpid: `pg_ctl start` leaves a
            // server running that would inherit any descriptor a parent watches for the child's end.
            status = try SpawnedProcess(
                command[0], Array(command.dropFirst()), environment: ProcessInfo.processInfo.environment, stdout: .file(outputPath),
                stderr: .sameAsStdout, workingDirectory: "/"
            ).waitUntilExit()
        } catch {
            throw EmbeddedPostgresError.commandFailed(command: command[0], output: "\(error)")
        }
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return Outcome(status: status, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs and throws with the command's own output when it fails.
    @discardableResult
    func check(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let outcome = try run(executable, arguments)
        guard outcome.succeeded else {
            let name = URL(fileURLWithPath: executable).lastPathComponent
            throw EmbeddedPostgresError.commandFailed(command: ([name] + arguments).joined(separator: " "), output: outcome.output)
        }
        return outcome
    }

    static var runuserPath: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/sbin/runuser"
    }
}
