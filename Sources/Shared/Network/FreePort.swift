import Foundation

/// A loopback port nobody listens on right now (bound, checked, released),
/// for processes that must be started on a known port (tests, benchmarks).
///
/// The port is drawn at random from below the kernel's range for the
/// local ports of outgoing connections: a port from that range (what
/// binding port 0 gives) can be taken by any connection another process
/// opens between this check and its user's bind, as happened in a test run
/// with hundreds of loopback connections; below it only a listener can
/// take it.
public enum FreePort {
    /// The lowest port drawn from.
    static let lowest = 10_000

    /// The port.
    public static func find() throws -> Int {
        let outgoing = outgoingRange()
        // No room below the range: whatever the kernel gives.
        guard outgoing.lowerBound - lowest >= 1_000 else { return try bound(0) }
        return try find(in: lowest..<outgoing.lowerBound)
    }

    /// A port drawn at random from `ports` that can be bound now, or (when
    /// 200 draws all found one taken) whatever the kernel gives.
    static func find(in ports: Range<Int>) throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: ports)
            if try bindable(port) { return port }
        }
        return try bound(0)
    }

    /// The kernel's range for outgoing connections' local ports
    /// (`/proc/sys/net/ipv4/ip_local_port_range`; Linux's default where it cannot be read).
    static func outgoingRange() -> ClosedRange<Int> {
        let fallback = 32_768...60_999
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) else { return fallback }
        let numbers = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else { return fallback }
        return numbers[0]...numbers[1]
    }

    /// Whether `port` can be bound on loopback now.
    private static func bindable(_ port: Int) throws -> Bool {
        do {
            _ = try bound(port)
            return true
        } catch let error as POSIXError where error.code == .EADDRINUSE || error.code == .EACCES {
            return false
        }
    }

    /// Binds `port` (0: any) on 127.0.0.1, releases it, and answers the port bound.
    private static func bound(_ port: Int) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let succeeded = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard succeeded else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
