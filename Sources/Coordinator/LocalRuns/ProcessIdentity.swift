import Foundation

/// A process as it can be recognised later: its pid, and where `/proc` has
/// them, its start time and the boot it started in, so a pid reused by
/// another process (or after a reboot) is not mistaken for it.
public struct ProcessIdentity: Codable, Sendable, Equatable {
    /// The process id.
    public var pid: Int32
    /// Start time in clock ticks since boot (`/proc/PID/stat`, field 22); `nil` without `/proc`.
    public var startTicks: UInt64?
    /// `/proc/sys/kernel/random/boot_id`; `nil` without `/proc`.
    public var bootID: String?

    /// Creates an identity.
    public init(pid: Int32, startTicks: UInt64?, bootID: String?) {
        self.pid = pid
        self.startTicks = startTicks
        self.bootID = bootID
    }

    enum CodingKeys: String, CodingKey {
        case pid, startTicks = "start_ticks", bootID = "boot_id"
    }

    /// This process.
    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(pid: pid, startTicks: Self.stat(of: pid)?.startTicks, bootID: Self.bootID())
    }

    /// Whether this very process still runs (a zombie does not).
    public var isRunning: Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = Self.stat(of: pid) else {
            // No /proc entry: a live pid is all we can know, unless we recorded more.
            return startTicks == nil && !FileManager.default.fileExists(atPath: "/proc/self/stat")
        }
        return stat.state != "Z" && stat.state != "X" && stat.startTicks == startTicks && Self.bootID() == bootID
    }

    /// State and start time from `/proc/PID/stat`; the command name may hold
    /// spaces and parentheses, so fields are counted after its last `)`.
    static func stat(of pid: Int32) -> (state: Character, startTicks: UInt64)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
        guard fields.count > 19, let state = fields[0].first, let start = UInt64(fields[19]) else { return nil }
        return (state, start)
    }

    private static func bootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
