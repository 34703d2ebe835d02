/// The run slots' decisions, free of tasks: how many of `limit` slots are
/// free, and who waits for one, first come first served.
struct SlotCounter: Sendable {
    private var free: Int
    private var waiters: [UInt64] = []

    /// `limit` free slots.
    init(limit: Int) {
        free = limit
    }

    /// Free slots.
    var available: Int { free }

    /// Waiters in line.
    var waiting: Int { waiters.count }

    /// Takes a slot for `id` if one is free (true); else puts `id` in line (false).
    mutating func acquire(_ id: UInt64) -> Bool {
        if free > 0 {
            free -= 1
            return true
        }
        waiters.append(id)
        return false
    }

    /// A slot comes back: it goes to the first in line (returned), or becomes free.
    mutating func release() -> UInt64? {
        if waiters.isEmpty {
            free += 1
            return nil
        }
        return waiters.removeFirst()
    }

    /// Every waiter leaves the line (shutdown: they will not run); returns them, first first.
    mutating func dropWaiters() -> [UInt64] {
        defer { waiters.removeAll() }
        return waiters
    }

    /// `id` stops waiting; returns whether it was in line.
    mutating func abandon(_ id: UInt64) -> Bool {
        guard let index = waiters.firstIndex(of: id) else { return false }
        waiters.remove(at: index)
        return true
    }
}
