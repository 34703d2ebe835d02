/// The benchmarks' read-only looks at the database.
enum BenchSQL {
    /// The database's clock, so start and finish times come from one clock.
    static let now = "SELECT now() AS now"

    /// Job counts: unfinished jobs (judge jobs appear in the transaction
    /// that finishes their generate job, so 0 open means the sweep is done).
    static let progress = """
        SELECT count(*) FILTER (WHERE state IN ('queued', 'leased', 'batched')) AS open,
               count(*) FILTER (WHERE state = 'done') AS done,
               count(*) FILTER (WHERE state = 'failed') AS failed,
               count(*) AS total
        FROM jobs
        """

    /// When the last job finished.
    static let lastFinished = "SELECT max(finished_at) AS last FROM jobs"

    /// The rate each endpoint's bucket runs at now.
    static let currentRates = "SELECT model, current_rpm FROM rate_buckets ORDER BY id"

    /// Finished jobs per kind, for the summary.
    static let jobsByKind = "SELECT kind, count(*) AS n FROM jobs WHERE state = 'done' GROUP BY kind ORDER BY kind"
}
