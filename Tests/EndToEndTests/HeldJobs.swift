import Coordinator
import Foundation

/// A few queued jobs kept out of every lease and batch (not runnable for a
/// day) while a test breaks things: the sweep cannot end before its faults
/// have struck, however slowly a loaded machine lets the test look.
enum HeldJobs {
    /// Holds the `count` newest queued jobs.
    static func hold(_ count: Int, in pool: PostgresPool) async throws {
        try await pool.query(
            """
            UPDATE jobs SET not_before = now() + interval '1 day'
            WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id DESC LIMIT $1)
            """, [count])
    }

    /// Makes the held jobs runnable again (waiting lease requests find them on their next re-check).
    static func release(in pool: PostgresPool) async throws {
        try await pool.query("UPDATE jobs SET not_before = now() WHERE state = 'queued' AND not_before > now() + interval '12 hours'")
    }
}
