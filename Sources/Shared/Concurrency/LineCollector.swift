import Foundation

/// A child process's output, collected until its first line (or end of
/// file), for parents that learn the child's address from that line.
public final class LineCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var text = ""
    private var ended = false

    /// An empty collector.
    public init() {}

    /// Adds what a pipe delivered; empty data means end of file. Answers
    /// whether it still wants more (no newline and no end yet).
    @discardableResult
    public func append(_ data: Data) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if data.isEmpty { ended = true }
        text += String(decoding: data, as: UTF8.self)
        condition.broadcast()
        return !ended && !text.contains("\n")
    }

    /// Blocks (never call it on Swift's cooperative pool) until a newline or
    /// end of file, or `seconds`; returns what arrived.
    public func wait(seconds: TimeInterval) -> String {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !text.contains("\n"), !ended, condition.wait(until: deadline) {}
        return text
    }
}
