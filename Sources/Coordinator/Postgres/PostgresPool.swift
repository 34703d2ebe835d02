import Synchronization

/// A fixed number of connections shared by every task in the process.
///
/// A task borrows one connection for the length of a closure; when all are
/// out, it waits its turn. A connection that broke reconnects when it is next
/// borrowed, so the pool outlives server restarts.
public final class PostgresPool: Sendable {
    private let connections: [PostgresConnection]
    private let state: Mutex<PoolState>
    /// The database the pool connects to.
    public let url: String
    /// The settings each of its sessions starts with.
    public let settings: PostgresSessionSettings

    /// A pool of `size` connections to `url`, opened lazily, each session
    /// started with `settings` (statement and idle-in-transaction timeouts).
    public init(url: String, size: Int = 8, settings: PostgresSessionSettings = .standard) {
        precondition(size > 0, "a pool needs at least one connection")
        self.url = url
        self.settings = settings
        connections = (0..<size).map { PostgresConnection(url: url, settings: settings, name: "siuo-postgres-\($0)") }
        state = Mutex(PoolState(idle: Array(0..<size)))
    }

    /// How many connections the pool holds.
    public var size: Int { connections.count }

    /// Runs `body` with a connection of its own; the connection returns to the
    /// pool when `body` ends, however it ends.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let slot = try await checkOut()
        defer { checkIn(slot) }
        let connection = connections[slot]
        // Checked by its first statement, in the same hop to its thread.
        connection.checkOnNextUse()
        return try await body(connection)
    }

    /// Runs `body` inside `BEGIN … COMMIT`; any error thrown rolls the
    /// transaction back and is rethrown, so nothing of it is written.
    ///
    /// BEGIN travels with the body's first statement, and a body that ends
    /// its last pipeline with `PostgresStatement.commit` saves the separate
    /// COMMIT: a transaction of one pipeline costs one round trip.
    ///
    /// `durable: false` commits without waiting for the WAL flush: for soft
    /// state (rate-bucket tokens) whose loss in a server crash costs nothing
    /// that matters, so that row locks are not held through an fsync.
    ///
    /// `genericPlans: true` runs the transaction's prepared statements on
    /// their generic plan (`plan_cache_mode = force_generic_plan`). PostgreSQL
    /// otherwise keeps planning a statement anew on every call whenever it
    /// guesses that a plan for the actual values might be cheaper, and for
    /// the lease path's large statements (`RateBucketSQL.take`,
    /// `JobSQL.claim`) that planning cost more than running them. Only for
    /// statements whose generic plan was checked to be the good one
    /// (docs/architecture.md, "Lease").
    @discardableResult
    public func withTransaction<T: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        durable: Bool = true,
        genericPlans: Bool = false,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            connection.deferUntilNextCall("BEGIN ISOLATION LEVEL \(isolation.sql)")
            if let settings = PipelinedTransaction.settings(durable: durable, genericPlans: genericPlans) {
                connection.deferUntilNextCall(settings)
            }
            do {
                let value = try await body(connection)
                // A body that ran nothing never began; one that committed is done.
                if !connection.dropDeferred() && connection.isInTransaction {
                    try await connection.query("COMMIT")
                }
                return value
            } catch {
                // A broken connection has no transaction left to roll back.
                if !connection.dropDeferred() && connection.isInTransaction {
                    _ = try? await connection.query("ROLLBACK")
                }
                throw error
            }
        }
    }

    /// Runs `statements` as one transaction in one round trip; returns their
    /// rows. `durable` and `genericPlans` as in `withTransaction`.
    @discardableResult
    public func transaction(durable: Bool = true, genericPlans: Bool = false, _ statements: [PostgresStatement]) async throws -> [PostgresRows] {
        try await withTransaction(durable: durable, genericPlans: genericPlans) { connection in
            try await connection.pipeline(statements + [.commit])
        }
    }

    /// Runs one statement on any free connection.
    @discardableResult
    public func query(_ sql: String, _ bindings: [any PostgresBindable] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, bindings) }
    }

    private func checkOut() async throws -> Int {
        let claim = state.withLock { state -> Claim in
            if let slot = state.idle.popLast() { return .slot(slot) }
            state.nextWaiterID += 1
            return .wait(state.nextWaiterID)
        }
        switch claim {
        case .slot(let slot): return slot
        case .wait(let waiterID): return try await waitForSlot(waiterID)
        }
    }

    private func waitForSlot(_ waiterID: Int) async throws -> Int {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, Error>) in
                let immediate: Result<Int, Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let slot = state.idle.popLast() { return .success(slot) }
                    state.waiters.append((waiterID, continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Int, Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == waiterID }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    private func checkIn(_ slot: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, Error>? in
            if state.waiters.isEmpty {
                state.idle.append(slot)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: slot)
    }
}

/// The isolation level a transaction runs at.
public enum TransactionIsolation: Sendable {
    /// PostgreSQL's default.
    case readCommitted
    /// One snapshot for the whole transaction.
    case repeatableRead
    /// As if transactions ran one after another; may fail with `serializationFailure`.
    case serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}

private enum Claim {
    case slot(Int)
    case wait(Int)
}

private struct PoolState {
    var idle: [Int]
    var waiters: [(id: Int, continuation: CheckedContinuation<Int, Error>)] = []
    var nextWaiterID = 0
}
