import Foundation

/// One OS thread that runs blocking work (libpq, libcurl, child processes)
/// in submission order.
///
/// Swift's cooperative pool has one thread per core; a blocking C call there
/// would stall every task in the process. Each database connection owns one
/// of these instead, which also keeps all calls on a connection serialised.
public final class DedicatedThread: @unchecked Sendable {
    private let work = WorkQueue()

    /// Starts the thread; it ends once this object is gone and its queue is empty.
    public init(name: String) {
        let work = self.work
        let thread = Thread { work.drain() }
        thread.name = name
        thread.start()
    }

    deinit {
        work.stop()
    }

    /// Runs `body` on this thread and returns its result to the caller.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            work.push { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` on this thread without waiting for it (for clean-up in `deinit`).
    public func detach(_ body: @escaping @Sendable () -> Void) {
        work.push(body)
    }
}

/// The thread's queue; held by the thread itself so the owner can go away first.
private final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [@Sendable () -> Void] = []
    private var stopping = false

    func push(_ item: @escaping @Sendable () -> Void) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    /// Work already queued still runs; the thread ends when the queue is empty.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    func drain() {
        while true {
            condition.lock()
            while items.isEmpty && !stopping {
                condition.wait()
            }
            if items.isEmpty {
                condition.unlock()
                return
            }
            let batch = items
            items.removeAll(keepingCapacity: true)
            condition.unlock()
            for item in batch { item() }
        }
    }
}
