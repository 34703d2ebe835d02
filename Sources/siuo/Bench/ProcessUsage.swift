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

/// Busy CPU seconds of the whole machine so far, from `/proc/stat` (Linux):
/// user, nice, system, irq and softirq time of every core, not idle, I/O
/// wait or steal. A phase's difference is what it cost every process
/// together (here the bench and PostgreSQL), whatever a noisy neighbour
/// took from the machine's wall time.
enum MachineCPU {
    /// The seconds so far, or `nil` when `/proc/stat` cannot be read.
    static var busySeconds: Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 7 else { return nil }
        // user nice system idle iowait irq softirq [steal …]
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
