import CLibPQ
import Foundation
import Shared

/// One libpq session that `LISTEN`s on a channel and reports notifications,
/// on a thread of its own: it waits in `poll()` on the session's socket and
/// on a wake-up pipe, never on Swift's cooperative pool.
///
/// `listen` runs until the session is lost (it throws) or the calling task
/// is cancelled (it throws `CancellationError`, after closing the session).
/// Connecting is non-blocking too, so a cancellation does not wait for a
/// server that does not answer.
public final class PostgresListenConnection: @unchecked Sendable {
    // Invariant: the session is only touched on `thread`; the pipe's write
    // end is written from any thread.
    private let thread: DedicatedThread
    private let url: String
    private let settings: PostgresSessionSettings
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// How long connecting may take.
    private let connectTimeout: Duration
    /// How often an idle session is checked with a round trip, so one the
    /// network silently dropped is noticed.
    private let pingInterval: Duration

    /// A listener on `url`, its sessions started with `settings`.
    public init(
        url: String, settings: PostgresSessionSettings = .standard, connectTimeout: Duration = .seconds(10),
        pingInterval: Duration = .seconds(30), name: String = "siuo-listen"
    ) {
        self.url = url
        self.settings = settings
        self.connectTimeout = connectTimeout
        self.pingInterval = pingInterval
        self.thread = DedicatedThread(name: name)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Connects, runs `LISTEN channel`, calls `onListening` with the
    /// session's backend process id, then `onNotification` once for each
    /// batch of notifications read together, until the session is lost or
    /// the task is cancelled. `channel` must be a plain SQL identifier.
    public func listen(
        channel: String, onListening: @escaping @Sendable (Int32) -> Void, onNotification: @escaping @Sendable () -> Void
    ) async throws {
        precondition(channel.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "a plain identifier")
        guard wakeRead >= 0 else { throw PostgresError(kind: .connectionFailed, message: "cannot create the listener's wake-up pipe") }
        drainWakeups()
        try await withTaskCancellationHandler {
            try await thread.run { try self.blockingListen(channel: channel, onListening: onListening, onNotification: onNotification) }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    // MARK: - On the listener's thread

    private func blockingListen(
        channel: String, onListening: @Sendable (Int32) -> Void, onNotification: @Sendable () -> Void
    ) throws {
        let connection = try connect()
        defer { PQfinish(connection) }
        try execute("LISTEN \(channel)", on: connection)
        onListening(PQbackendPID(connection))
        // A ping outstanding since then: the session must answer within `pingInterval`.
        var pingSent: ContinuousClock.Instant?
        var lastHeard = ContinuousClock.now
        while true {
            let due = (pingSent ?? lastHeard) + pingInterval
            let timeout = max(0, Self.milliseconds(due - .now))
            let (socketReady, woken) = try wait(for: connection, events: Int16(POLLIN), timeoutMilliseconds: Int32(clamping: timeout))
            if woken { throw CancellationError() }
            if socketReady {
                guard PQconsumeInput(connection) == 1 else { throw Self.lost(connection) }
                lastHeard = .now
                // The ping's answer, when it came: its results, then the end of them.
                while pingSent != nil, PQisBusy(connection) == 0 {
                    guard let result = PQgetResult(connection) else {
                        pingSent = nil
                        break
                    }
                    PQclear(result)
                }
                var count = 0
                while let notification = PQnotifies(connection) {
                    count += 1
                    PQfreemem(notification)
                }
                if count > 0 { onNotification() }
                guard PQstatus(connection) == CONNECTION_OK else { throw Self.lost(connection) }
            } else if pingSent != nil {
                throw PostgresError(kind: .connectionLost, message: "the listening session did not answer a ping in \(pingInterval)")
            } else if ContinuousClock.now >= due {
                // Nothing heard for a while: a round trip shows the session is alive (a network
                // that silently dropped it would otherwise go unnoticed for many minutes).
                guard PQsendQuery(connection, "SELECT 1") == 1 else { throw Self.lost(connection) }
                pingSent = .now
            }
        }
    }

    /// Opens a session without blocking past `connectTimeout` or a wake-up.
    private func connect() throws -> OpaquePointer {
        let (keywords, values) = settings.connectParameters(url: url)
        let started = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in PQconnectStartParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection = started else {
            throw PostgresError(kind: .connectionFailed, message: "out of memory opening a connection")
        }
        let deadline = ContinuousClock.now + connectTimeout
        var polling = PGRES_POLLING_WRITING
        while PQstatus(connection) != CONNECTION_BAD {
            if polling == PGRES_POLLING_OK {
                PQsetNoticeProcessor(connection, { _, _ in }, nil)
                return connection
            }
            if polling == PGRES_POLLING_FAILED { break }
            let left = Self.milliseconds(deadline - .now)
            guard left > 0 else {
                PQfinish(connection)
                throw PostgresError(kind: .connectionFailed, message: "timed out connecting to the database")
            }
            let events = Int16(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT)
            let woken: Bool
            do {
                (_, woken) = try wait(for: connection, events: events, timeoutMilliseconds: Int32(clamping: left))
            } catch {
                PQfinish(connection)
                throw error
            }
            if woken {
                PQfinish(connection)
                throw CancellationError()
            }
            polling = PQconnectPoll(connection)
        }
        let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        PQfinish(connection)
        throw PostgresError(kind: .connectionFailed, message: message)
    }

    /// Waits for `events` on the session's socket or a wake-up, up to the timeout.
    private func wait(for connection: OpaquePointer, events: Int16, timeoutMilliseconds: Int32) throws -> (ready: Bool, woken: Bool) {
        var descriptors = [pollfd(fd: PQsocket(connection), events: events, revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            let count = poll(&descriptors, 2, timeoutMilliseconds)
            if count >= 0 { break }
            guard errno == EINTR else { throw PostgresError(kind: .connectionLost, message: "poll failed: errno \(errno)") }
        }
        return (descriptors[0].revents != 0, descriptors[1].revents != 0)
    }

    private func execute(_ sql: String, on connection: OpaquePointer) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw Self.lost(connection)
        }
    }

    private func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    private static func lost(_ connection: OpaquePointer) -> PostgresError {
        let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(kind: .connectionLost, message: message.isEmpty ? "the listening session ended" : message)
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
