import Foundation

/// CPU time and memory of a running process, read from `/proc` (Linux).
struct ProcessUsage {
    /// User plus system CPU seconds so far.
    var cpuSeconds: Double
    /// Peak resident set size in bytes (`VmHWM`).
    var peakResidentBytes: Int

    /// The usage of process `pid`, or `nil` when it cannot be read.
    static func of(pid: Int32) -> ProcessUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let peak =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return ProcessUsage(cpuSeconds: (user + system) / ticks, peakResidentBytes: peak * 1024)
    }

    /// This process.
    static var current: ProcessUsage? { of(pid: getpid()) }
}
