import Coordinator

/// Keeps one worker's leases open once enough jobs are done, so a test can
/// kill that worker "while it holds leases" however late a loaded machine
/// lets the test look: a trigger refuses every ending of the worker's live
/// leases (its results, failures, releases) with `55P03`, which the
/// coordinator answers with 503, so the worker keeps the ending in its
/// outbox, heartbeats the lease and tries again. Its leases stay leased, and
/// nothing of their work is written, until `unpin` (after the kill).
/// A lease that lapsed is not held: the coordinator may take it back.
enum PinnedLeases {
    /// Pins `worker`'s leases from the moment `done` jobs are done.
    static func pin(_ worker: String, afterDone done: Int, in pool: PostgresPool) async throws {
        try await pool.query(
            """
            CREATE FUNCTION test_pin_leases() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.state = 'leased' AND NEW.state <> 'leased' AND OLD.leased_by = '\(worker)'
                   AND OLD.lease_expires_at > now() AND (SELECT count(*) FROM jobs WHERE state = 'done') >= \(done) THEN
                    RAISE EXCEPTION 'lease pinned by the test' USING ERRCODE = '55P03';
                END IF;
                RETURN NEW;
            END $$
            """)
        try await pool.query(
            "CREATE TRIGGER test_pin_leases BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION test_pin_leases()")
    }

    /// Lets every lease end again.
    static func unpin(in pool: PostgresPool) async throws {
        try await pool.query("DROP TRIGGER test_pin_leases ON jobs")
    }
}
