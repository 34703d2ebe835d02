import Foundation

/// The project's Python test tools (scripts/lib/python-venv.sh installs them into `.siuo/venv`,
/// which scripts/test does before the suites run).
public enum PythonTools {
    /// The virtual environment's interpreter, or nil when scripts/test has not made it.
    public static var python: String? {
        let path = RepositoryPaths.root + "/.siuo/venv/bin/python3"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs `script` with `arguments` in the virtual environment; returns stdout, or throws with stderr.
    public static func run(_ script: String, _ arguments: [String]) async throws -> String {
        guard let python else { throw ToolMissing() }
        let folder = try TemporaryFolder(prefix: "siuo-python")
        defer { folder.remove() }
        let scriptPath = folder.path + "/script.py"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let ended = try await PosixSpawn.runOffPool(python, [scriptPath] + arguments, stdout: folder.path + "/out", stderr: folder.path + "/err")
        let out = (try? String(contentsOfFile: folder.path + "/out", encoding: .utf8)) ?? ""
        guard ended.status == 0 else {
            throw ScriptFailed(message: (try? String(contentsOfFile: folder.path + "/err", encoding: .utf8)) ?? "exit \(ended.status)")
        }
        return out
    }

    /// `.siuo/venv` is missing: run the tests through scripts/test.
    public struct ToolMissing: Error, CustomStringConvertible {
        /// What to do.
        public var description: String { "the Python test tools are missing: run scripts/test (it makes .siuo/venv)" }
    }

    /// The script exited non-zero.
    public struct ScriptFailed: Error, CustomStringConvertible {
        /// Its stderr.
        public var message: String
        /// The same.
        public var description: String { message }
    }
}
