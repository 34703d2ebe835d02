import CLibPQ
import Foundation
import Shared

/// One libpq connection, with its own thread for the blocking calls.
///
/// Used by one task at a time (the pool hands it out exclusively). After the
/// connection breaks, the next use opens a new one: "reconnect on next use".
public final class PostgresConnection: @unchecked Sendable {
    // Invariant: `handle` is only touched on `thread`, and the pool gives the
    // connection to one task at a time, so no two calls overlap.
    private var handle: OpaquePointer? {
        didSet { preparedNames = [:] }  // prepared statements live and die with the session
    }
    /// SQL text → the name it was prepared under on this session.
    private var preparedNames: [String: String] = [:]
    private var preparedCount = 0
    /// Statements without parameters (BEGIN, the transaction's settings) held back to travel
    /// with the next call, in the same round trip.
    private var deferred: [String] = []
    /// Whether the session was inside a transaction block after the last call.
    private var transactionOpen = false
    /// Set by the pool when it lends the connection out: see `checkOnNextUse`.
    private var pendingCheck = false
    private let thread: DedicatedThread
    private let url: String
    private let settings: PostgresSessionSettings
    private let canceller = PostgresCanceller()

    /// A connection to `url` (a libpq URI or key=value string), opened on
    /// first use, its sessions started with `settings`.
    public init(url: String, settings: PostgresSessionSettings = .standard, name: String = "siuo-postgres") {
        self.url = url
        self.settings = settings
        self.thread = DedicatedThread(name: name)
    }

    deinit {
        if let handle {
            let box = HandleBox(handle)
            let canceller = self.canceller
            thread.detach {
                canceller.detach()
                PQfinish(box.handle)
            }
        }
    }

    /// Runs `body` on the connection's thread. When the calling task is
    /// cancelled while the call talks to the server, the statement running
    /// there is cancelled (`PostgresCanceller`) and the call throws
    /// `CancellationError`; the session stays usable. A call made by a task
    /// already cancelled runs as usual, so clean-up (ROLLBACK) still works.
    private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if Task.isCancelled { return try await thread.run(body) }
        let call = canceller.nextCall()
        let canceller = self.canceller
        return try await withTaskCancellationHandler {
            try await thread.run {
                guard canceller.begin(call) else { throw CancellationError() }
                do {
                    let value = try body()
                    _ = canceller.end(call)
                    return value
                } catch let error as PostgresError where error.kind == .queryCanceled {
                    // Our own cancel request, not a statement timeout.
                    if canceller.end(call) { throw CancellationError() }
                    throw error
                } catch {
                    _ = canceller.end(call)
                    throw error
                }
            }
        } onCancel: {
            canceller.cancel(call)
        }
    }

    /// Runs one statement with `$n` placeholders bound to `bindings`; values are
    /// never spliced into the SQL text.
    @discardableResult
    public func query(_ sql: String, _ bindings: [any PostgresBindable] = []) async throws -> PostgresRows {
        if !deferred.isEmpty { return try await pipeline([PostgresStatement(sql, bindings)])[0] }
        let parameters = bindings.map(\.postgresParameter)
        return try await onThread { try self.blockingQuery(sql, parameters) }
    }

    /// Runs `statements` in order in one round trip (libpq pipeline mode) and
    /// returns their rows in the same order. The first statement that fails
    /// ends the pipeline: the ones after it do not run, and its error is
    /// thrown. Without an explicit transaction each statement commits on its
    /// own; inside `PostgresPool.withTransaction`, ending the list with
    /// `PostgresStatement.commit` commits in the same round trip.
    @discardableResult
    public func pipeline(_ statements: [PostgresStatement]) async throws -> [PostgresRows] {
        let prefix = deferred
        deferred = []
        let commands =
            prefix.map { PreparedCommand(sql: $0, parameters: []) }
            + statements.map { PreparedCommand(sql: $0.sql, parameters: $0.bindings.map(\.postgresParameter)) }
        let rows = try await onThread { try self.blockingPipeline([commands])[0].get() }
        return Array(rows.dropFirst(prefix.count))
    }

    /// Runs `statements`, then `followUp`, in one round trip, with a sync
    /// point between them: a failure in either ends only its own part, and
    /// `followUp`'s failure undoes nothing before it. `followUp` runs in the
    /// session as `statements` left it: after a failure inside a transaction
    /// block, it fails whole. For a second transaction that must not hold up
    /// the first (a soft-state write after a durable COMMIT) but may ride its
    /// round trip. Throws what `statements` threw; answers their rows and
    /// `followUp`'s outcome.
    public func pipeline(
        _ statements: [PostgresStatement], then followUp: [PostgresStatement]
    ) async throws -> (rows: [PostgresRows], followUp: Result<[PostgresRows], any Error>) {
        let prefix = deferred
        deferred = []
        let first =
            prefix.map { PreparedCommand(sql: $0, parameters: []) }
            + statements.map { PreparedCommand(sql: $0.sql, parameters: $0.bindings.map(\.postgresParameter)) }
        let second = followUp.map { PreparedCommand(sql: $0.sql, parameters: $0.bindings.map(\.postgresParameter)) }
        let (rows, outcome) = try await onThread {
            let outcomes = try self.blockingPipeline(second.isEmpty ? [first] : [first, second])
            return (try outcomes[0].get(), outcomes.count > 1 ? outcomes[1] : .success([]))
        }
        return (Array(rows.dropFirst(prefix.count)), outcome)
    }

    /// Runs `transactions` in order in one round trip, each ended by a sync
    /// point, and answers the rows of each one's statements, or its error.
    /// Each is the implicit transaction pipeline mode makes of the statements
    /// between two sync points: it commits at its sync point, or, when one
    /// of its statements fails, is rolled back there, and the next one runs
    /// all the same. No BEGIN, COMMIT or ROLLBACK travels (a ROLLBACK outside
    /// a transaction costs a logged warning). For independent transactions
    /// that share a round trip, a later one reading what an earlier one wrote
    /// (the lease path: token take, claim, give-back). Throws only when the
    /// round trip itself cannot be made.
    public func pipeline(transactions: [PipelinedTransaction]) async throws -> [Result<[PostgresRows], any Error>] {
        precondition(deferred.isEmpty, "independent transactions do not run inside another one")
        let segments = transactions.map { $0.settings + $0.statements }
        let outcomes = try await onThread {
            let outcomes = try self.blockingPipeline(
                segments.map { $0.map { PreparedCommand(sql: $0.sql, parameters: $0.bindings.map(\.postgresParameter)) } })
            // Only a statement of the caller's own (a BEGIN) could leave one open.
            if self.transactionOpen { _ = try? self.blockingQuery("ROLLBACK", []) }
            return outcomes
        }
        return zip(outcomes, transactions).map { outcome, transaction in
            outcome.map { rows in Array(rows.dropFirst(transaction.settings.count)) }
        }
    }

    /// Holds `sql` (no parameters) back until the next call, which sends it
    /// first in the same round trip: how a transaction's BEGIN costs no trip
    /// of its own.
    func deferUntilNextCall(_ sql: String) {
        deferred.append(sql)
    }

    /// Drops what `deferUntilNextCall` held back; returns whether there was any
    /// (then nothing of it reached the server).
    func dropDeferred() -> Bool {
        defer { deferred = [] }
        return !deferred.isEmpty
    }

    /// Whether the last call left the session inside a transaction block.
    var isInTransaction: Bool { transactionOpen }

    /// Runs a script of several statements without parameters (migrations).
    public func executeScript(_ sql: String) async throws {
        // A deferred BEGIN goes first, in the same script, so the script runs inside the transaction.
        let script = deferred.map { $0 + ";\n" }.joined() + sql
        deferred = []
        try await onThread { try self.blockingScript(script) }
    }

    /// Opens the connection if it is closed or broken; on an idle connection,
    /// notices a server that went away meanwhile (restart, admin shutdown).
    public func ensureOpen() async throws {
        try await onThread { try self.blockingEnsureOpen() }
    }

    /// Makes the next call check the connection as `ensureOpen` does, on its
    /// way, without a thread hop of its own.
    func checkOnNextUse() {
        pendingCheck = true
    }

    // MARK: - On the connection's thread

    private func blockingEnsureOpen() throws {
        if let handle {
            if PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE && !Self.hasPendingInput(handle) {
                return
            }
            close()
        }
        try reopen()
    }

    /// Opens a session, keeping its cancel object (on the connection's thread).
    private func reopen() throws {
        let opened = try Self.open(url, settings: settings)
        canceller.attach(opened)
        handle = opened
    }

    /// Closes the session, freeing its cancel object first (on the connection's thread).
    private func close() {
        guard let handle else { return }
        canceller.detach()
        PQfinish(handle)
        self.handle = nil
    }

    /// An idle connection has nothing to read unless the server ended it (a
    /// restart sends a FATAL notice, then EOF) or, rarely, sent a status
    /// message; both are answered by reconnecting, before a query is sent on
    /// a dead socket.
    private static func hasPendingInput(_ handle: OpaquePointer) -> Bool {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    private static func open(_ url: String, settings: PostgresSessionSettings) throws -> OpaquePointer {
        let (keywords, values) = settings.connectParameters(url: url)
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connectionFailed, message: "out of memory opening a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        // The time zone and date style timestamp text is read in came in the startup packet
        // (`PostgresSessionSettings.startupOptions`), so this costs no round trip.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        return connection
    }

    private func blockingQuery(_ sql: String, _ parameters: [PostgresParameter]) throws -> PostgresRows {
        try blockingEnsureConnected()
        return try Self.withLibpqParameters(parameters) { count, types, values, lengths, formats in
            try blockingQuery(sql, count: count, types: types, values: values, lengths: lengths, formats: formats)
        }
    }

    private func blockingQuery(
        _ sql: String, count: Int32, types: [Oid], values: [UnsafePointer<CChar>?], lengths: [Int32], formats: [Int32]
    ) throws -> PostgresRows {
        guard Self.isPreparable(sql) else {
            return try check(PQexecParams(handle, sql, count, types, values, lengths, formats, 0))
        }
        // The project's SQL is a fixed set of texts: each is parsed and planned
        // once per session instead of on every call.
        let name = try preparedName(for: sql, types: types)
        do {
            return try check(PQexecPrepared(handle, name, count, values, lengths, formats, 0))
        } catch let error as PostgresError where error.sqlState == "26000" || error.sqlState == "0A000" {
            // The statement is gone or its plan went stale (a migration changed a table): prepare anew once.
            preparedNames[sql] = nil
            let fresh = try preparedName(for: sql, types: types)
            return try check(PQexecPrepared(handle, fresh, count, values, lengths, formats, 0))
        }
    }

    private func preparedName(for sql: String, types: [Oid]) throws -> String {
        if let name = preparedNames[sql] { return name }
        preparedCount += 1
        let name = "siuo_\(preparedCount)"
        _ = try check(PQprepare(handle, name, sql, Int32(types.count), types))
        preparedNames[sql] = name
        return name
    }

    /// Statements the extended protocol can prepare (not BEGIN, SET, DDL, …).
    static func isPreparable(_ sql: String) -> Bool {
        let head = sql.drop(while: { $0.isWhitespace }).prefix(6).uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE"].contains(head) || head.hasPrefix("WITH")
    }

    /// One command of a pipeline, with its parameters in wire form.
    struct PreparedCommand: Sendable {
        var sql: String
        var parameters: [PostgresParameter]
    }

    /// Sends every segment, each ended by a sync point, then reads each
    /// segment's results up to its sync. A failure aborts the rest of its own
    /// segment only (libpq skips up to the sync); a segment after one whose
    /// sending failed is not sent. Throws only when pipeline mode cannot start.
    private func blockingPipeline(_ segments: [[PreparedCommand]]) throws -> [Result<[PostgresRows], any Error>] {
        try blockingEnsureConnected()
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle)))
        }
        var sent: [(expected: [Expectation], failure: (any Error)?)] = []
        for segment in segments {
            var expected: [Expectation] = []
            var failure: (any Error)?
            for command in segment {
                do {
                    try send(command, expecting: &expected)
                } catch {
                    failure = error
                    break
                }
            }
            if PQpipelineSync(handle) != 1, failure == nil {
                failure = PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle)))
            }
            sent.append((expected, failure))
            if failure != nil { break }
        }
        var outcomes = sent.map { readSegment(expected: $0.expected, failure: $0.failure) }
        while outcomes.count < segments.count {
            outcomes.append(.failure(PostgresError(kind: .connectionLost, message: "not sent: an earlier part of the pipeline could not be sent")))
        }
        PQexitPipelineMode(handle)
        transactionOpen = handle.map { PQtransactionStatus($0) != PQTRANS_IDLE } ?? false
        return outcomes
    }

    /// Reads one segment's results, up to and including its sync, even after
    /// a failure, so the session is back in a known state.
    private func readSegment(expected: [Expectation], failure sendFailure: (any Error)?) -> Result<[PostgresRows], any Error> {
        var failure = sendFailure
        var rows: [PostgresRows] = []
        var syncRead = false
        for expectation in expected {
            let result = PQgetResult(handle)
            if PQresultStatus(result) == PGRES_PIPELINE_SYNC || result == nil {
                if let result { PQclear(result) }
                syncRead = result != nil
                failure = failure ?? PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle)))
                break
            }
            while let extra = PQgetResult(handle) { PQclear(extra) }  // the NULL that ends each command
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                if case .prepare(let sql) = expectation { preparedNames[sql] = nil }
                continue
            }
            do {
                let checked = try check(result)
                if case .rows = expectation { rows.append(checked) }
            } catch {
                switch expectation {
                case .prepare(let sql):
                    preparedNames[sql] = nil
                case .rows(let sql):
                    // A statement gone or planned for an older table: prepared anew next time.
                    if let error = error as? PostgresError, error.sqlState == "26000" || error.sqlState == "0A000" {
                        preparedNames[sql] = nil
                    }
                }
                failure = failure ?? error
            }
        }
        // Up to and including the sync's own result.
        while !syncRead, let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let failure { return .failure(failure) }
        return .success(rows)
    }

    /// What a pipeline reads back for each command it sent.
    private enum Expectation {
        case prepare(String)
        case rows(String)
    }

    private func send(_ command: PreparedCommand, expecting expected: inout [Expectation]) throws {
        try Self.withLibpqParameters(command.parameters) { count, types, values, lengths, formats in
            try send(command, count: count, types: types, values: values, lengths: lengths, formats: formats, expecting: &expected)
        }
    }

    private func send(
        _ command: PreparedCommand, count: Int32, types: [Oid], values: [UnsafePointer<CChar>?], lengths: [Int32], formats: [Int32],
        expecting expected: inout [Expectation]
    ) throws {
        let sent: Int32
        if Self.isPreparable(command.sql) {
            let name: String
            if let known = preparedNames[command.sql] {
                name = known
            } else {
                preparedCount += 1
                name = "siuo_\(preparedCount)"
                guard PQsendPrepare(handle, name, command.sql, count, types) == 1 else {
                    throw PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle)))
                }
                preparedNames[command.sql] = name
                expected.append(.prepare(command.sql))
            }
            sent = PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0)
        } else {
            sent = PQsendQueryParams(handle, command.sql, count, types, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle))) }
        expected.append(.rows(command.sql))
    }

    /// Calls `body` with `parameters` in the parallel arrays libpq takes
    /// (count, types, values, lengths, formats), in owned buffers that stay
    /// valid for the call and are freed after it.
    private static func withLibpqParameters<T>(
        _ parameters: [PostgresParameter],
        _ body: (Int32, [Oid], [UnsafePointer<CChar>?], [Int32], [Int32]) throws -> T
    ) throws -> T {
        var types = [Oid](repeating: 0, count: parameters.count)
        var lengths = [Int32](repeating: 0, count: parameters.count)
        var formats = [Int32](repeating: 0, count: parameters.count)
        var buffers: [UnsafeMutableRawPointer?] = []
        defer { buffers.forEach { $0?.deallocate() } }
        fill(parameters, types: &types, lengths: &lengths, formats: &formats, buffers: &buffers)
        let values: [UnsafePointer<CChar>?] = buffers.map { $0.map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) } }
        return try body(Int32(parameters.count), types, values, lengths, formats)
    }

    /// Parameters in the form libpq takes, in owned buffers the caller frees.
    private static func fill(
        _ parameters: [PostgresParameter], types: inout [Oid], lengths: inout [Int32], formats: inout [Int32],
        buffers: inout [UnsafeMutableRawPointer?]
    ) {
        buffers.reserveCapacity(parameters.count)
        for (index, parameter) in parameters.enumerated() {
            switch parameter {
            case .null:
                buffers.append(nil)
            case .text(let text):
                let utf8 = Array(text.utf8CString)
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: utf8.count, alignment: 1)
                utf8.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: utf8.count) }
                buffers.append(buffer)
            case .bytes(let bytes):
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
                bytes.withUnsafeBytes { if let base = $0.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) } }
                buffers.append(buffer)
                types[index] = PostgresTypeName.bytea
                lengths[index] = Int32(bytes.count)
                formats[index] = 1
            }
        }
    }

    private func blockingScript(_ sql: String) throws {
        try blockingEnsureConnected()
        _ = try check(PQexec(handle, sql))
    }

    private func blockingEnsureConnected() throws {
        if pendingCheck {
            pendingCheck = false
            try blockingEnsureOpen()
            return
        }
        if handle == nil || PQstatus(handle) != CONNECTION_OK {
            close()
            try reopen()
        }
    }

    private func check(_ result: OpaquePointer?) throws -> PostgresRows {
        transactionOpen = handle.map { PQtransactionStatus($0) != PQTRANS_IDLE } ?? false
        guard let result else {
            throw PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle)))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(PostgresResult(result))
        default:
            var error = Self.error(from: result, connection: handle)
            PQclear(result)
            if PQstatus(handle) != CONNECTION_OK { error.kind = .connectionLost }
            throw error
        }
    }

    private static func error(from result: OpaquePointer, connection: OpaquePointer?) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let primary = field("M") ?? String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(sqlState: field("C"), message: primary, detail: field("D"), constraint: field("n"))
    }
}

/// Lets a finished handle travel to the connection's thread in `deinit`.
private struct HandleBox: @unchecked Sendable {
    let handle: OpaquePointer
    init(_ handle: OpaquePointer) { self.handle = handle }
}

/// Calls `body` with `strings` as a NULL-terminated array of C strings.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafePointer<CChar>?] = strings.map { strdup($0).map { UnsafePointer($0) } }
    pointers.append(nil)
    defer { pointers.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// One statement of a pipeline: SQL with `$n` placeholders and its bindings.
public struct PostgresStatement: Sendable {
    /// The SQL text.
    public var sql: String
    /// The values of `$1`, `$2`, ….
    public var bindings: [any PostgresBindable]

    /// A statement.
    public init(_ sql: String, _ bindings: [any PostgresBindable] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    /// Ends the transaction `PostgresPool.withTransaction` began.
    public static let commit = PostgresStatement("COMMIT")
}

/// One transaction of `PostgresConnection.pipeline(transactions:)`: its
/// statements, with the settings of `PostgresPool.withTransaction` for this
/// transaction only (`set_config(…, true)`, which, unlike `SET LOCAL`, also
/// holds in the implicit transaction of a pipeline segment).
public struct PipelinedTransaction: Sendable {
    /// The statements.
    public var statements: [PostgresStatement]
    /// `false`: the commit does not wait for the WAL flush.
    public var durable: Bool
    /// `true`: prepared statements run on their generic plan.
    public var genericPlans: Bool

    /// A transaction of `statements`.
    public init(durable: Bool = true, genericPlans: Bool = false, _ statements: [PostgresStatement]) {
        self.statements = statements
        self.durable = durable
        self.genericPlans = genericPlans
    }

    /// The statement that applies the settings, if any.
    var settings: [PostgresStatement] {
        Self.settings(durable: durable, genericPlans: genericPlans).map { [PostgresStatement($0)] } ?? []
    }

    /// The one statement that applies a transaction's settings for that
    /// transaction only, in an explicit transaction block or a pipeline
    /// segment's implicit one; `nil` when there are none.
    static func settings(durable: Bool, genericPlans: Bool) -> String? {
        let settings =
            (durable ? [] : ["set_config('synchronous_commit', 'off', true)"])
            + (genericPlans ? ["set_config('plan_cache_mode', 'force_generic_plan', true)"] : [])
        return settings.isEmpty ? nil : "SELECT " + settings.joined(separator: ", ")
    }
}
