import Foundation
import Testing

@testable import Shared

/// Ports for processes started on a known port: free, and out of the range
/// outgoing connections take their local ports from.
@Suite struct FreePortTests {
    @Test func portsComeFromBelowTheOutgoingRangeAndCanBeListenedOn() throws {
        let outgoing = FreePort.outgoingRange()
        try #require(outgoing.lowerBound - FreePort.lowest >= 1_000, "this machine leaves no room below \(outgoing)")
        var seen: Set<Int> = []
        for _ in 0..<50 {
            let port = try FreePort.find()
            #expect(port >= FreePort.lowest && port < outgoing.lowerBound, "\(port)")
            seen.insert(port)
            // A listener can take it.
            let listener = Self.listen(on: port)
            #expect(listener != nil, "port \(port)")
            listener.map { _ = close($0) }
        }
        #expect(seen.count > 40, "drawn at random: \(seen.count) different ports in 50")
    }

    @Test func aPortSomeoneListensOnIsNeverGiven() throws {
        let held = try FreePort.find()
        let listener = try #require(Self.listen(on: held))
        defer { close(listener) }
        // Drawn from the held port and its neighbour: every draw of the held one is skipped.
        for _ in 0..<20 { #expect(try FreePort.find(in: held..<(held + 2)) != held) }
    }

    /// A socket listening on 127.0.0.1:`port`, or nil when the port cannot be taken.
    private static func listen(on port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let listening = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 && Glibc.listen(descriptor, 1) == 0
            }
        }
        guard listening else {
            close(descriptor)
            return nil
        }
        return descriptor
    }
}
