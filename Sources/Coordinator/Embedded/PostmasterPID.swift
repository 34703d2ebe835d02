import Foundation

/// Reads `postmaster.pid` and tells a live server from a file left by a crash.
///
/// `pg_ctl status` trusts any live process with that PID; after a crash and a
/// reboot (or in a container) the PID is often reused by something else, and
/// the server then refuses to start. We check that the process really is a
/// server whose working directory is this data directory.
enum PostmasterPID {
    /// The PID of the server running on `dataDirectory`, or `nil`.
    static func runningServer(dataDirectory: String) -> pid_t? {
        guard let pid = recordedPID(dataDirectory + "/postmaster.pid") else { return nil }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        guard FileManager.default.fileExists(atPath: "/proc/self") else { return pid }  // no /proc: trust the PID
        guard let workingDirectory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else {
            return nil
        }
        let resolved = URL(fileURLWithPath: dataDirectory).resolvingSymlinksInPath().path
        return workingDirectory == resolved || workingDirectory == dataDirectory ? pid : nil
    }

    /// Removes a `postmaster.pid` and socket files whose server is gone.
    static func removeStaleFiles(location: ClusterLocation) {
        guard runningServer(dataDirectory: location.dataDirectory) == nil else { return }
        let socket = location.socketDirectory + "/.s.PGSQL.\(ClusterLocation.port)"
        for file in [location.dataDirectory + "/postmaster.pid", socket + ".lock", socket] {
            try? FileManager.default.removeItem(atPath: file)
        }
    }

    private static func recordedPID(_ path: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return pid_t(first.trimmingCharacters(in: .whitespaces))
    }
}
