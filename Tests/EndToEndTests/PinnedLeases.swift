@testable import Coordinator

/// Keeps one worker's leases open once enough jobs are done, so a test can
/// kill that worker "while it holds leases" however late a loaded machine
/// lets the test look. A trigger refuses every ending the worker reports for
/// them (results, failures, releases) with `55P03`, which the coordinator
/// answers with 503, so the worker keeps the ending in its outbox and tries
/// again; and it leaves them alone when the rescuer would take them back (a
/// stalled worker missed its heartbeats), skipping the row as if it were
/// not there. They stay leased, and nothing of their work is written, until
/// `unpin` (after the kill); the rescuer then takes them back.
enum PinnedLeases {
    /// Pins `worker`'s leases from the moment `done` jobs are done.
    static func pin(_ worker: String, afterDone done: Int, in pool: PostgresPool) async throws {
        try await pool.query(
            """
            CREATE FUNCTION test_pin_leases() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.state = 'leased' AND NEW.state <> 'leased' AND OLD.leased_by = '\(worker)'
                   AND (SELECT count(*) FROM jobs WHERE state = 'done') >= \(done) THEN
                    IF NEW.last_error = '\(JobSQL.expiredLeaseError)' THEN
                        RETURN NULL;
                    END IF;
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
