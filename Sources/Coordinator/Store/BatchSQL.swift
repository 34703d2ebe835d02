/// Every statement on `batches`: the one home of that table's SQL
/// (docs/architecture.md, "Batch mode").
enum BatchSQL {
    /// The columns `BatchRow` reads.
    static let columns = """
        b.id, b.model_id, b.state, b.tag, b.provider_batch_id, b.provider_state, b.submit_attempts, b.may_be_sent, b.cancel_requested,
        b.lease_token, b.deadline_at, b.created_at, b.submitted_at, m.settings, now() AS now
        """

    /// The batch due soonest among those of models on the endpoints ($1
    /// providers, $2 base URLs, $3 models) whose next check is due and that
    /// no worker holds, leased to worker $4 for $5 seconds.
    static let leaseDue = """
        WITH due AS (
            SELECT b.id FROM batches b
            JOIN models m ON m.id = b.model_id
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
              ON m.provider = e.provider AND m.base_url = e.base_url AND m.model = e.model
            WHERE b.state <> 'collected' AND b.next_check_at <= now()
              AND (b.lease_expires_at IS NULL OR b.lease_expires_at < now())
            ORDER BY b.next_check_at, b.id
            LIMIT 1
            FOR UPDATE OF b SKIP LOCKED
        ),
        leased AS (
            UPDATE batches b SET lease_token = gen_random_uuid(), leased_by = $4,
                   lease_expires_at = now() + make_interval(secs => $5::float8)
            FROM due WHERE b.id = due.id
            RETURNING b.*
        )
        SELECT \(columns)
        FROM leased b JOIN models m ON m.id = b.model_id
        """

    /// The model on the endpoints ($1…$3) whose pending lines should form a
    /// batch now (of a sweep that may run: a spent budget sends no batch):
    /// enough for a full batch, the oldest waited `maxWaitSeconds`, or nothing
    /// more is coming soon: no batch-lane job of the model is queued or
    /// leased, and, for a judge, no generate job of its sweep is (each
    /// finished one brings judge jobs; one waiting in a batch is not soon).
    /// Oldest first. Each "more is coming" test is a lookup per model, along
    /// an index (`jobs_batch_runnable`; the sweep's leased, or queued and
    /// leased, jobs in `jobs_sweep_state`), never a subquery the planner may
    /// hash over a scan of every job in the cluster, which this statement
    /// would pay once a second per batch worker (`QueuePlanTests`).
    static let modelToForm = """
        SELECT m.id, m.settings
        FROM models m
        JOIN sweeps s ON s.id = m.sweep_id
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
          ON m.provider = e.provider AND m.base_url = e.base_url AND m.model = e.model
        JOIN LATERAL (
            SELECT count(*) AS n, min(l.created_at) AS oldest FROM batch_lines l WHERE l.model_id = m.id AND l.state = 'pending'
        ) p ON p.n > 0
        LEFT JOIN LATERAL (
            SELECT 1 AS found FROM jobs j WHERE j.model_id = m.id AND j.state = 'queued' AND j.lane = 'batch' LIMIT 1
        ) AS queued ON true
        LEFT JOIN LATERAL (
            SELECT 1 AS found FROM jobs j WHERE j.sweep_id = m.sweep_id AND j.state = 'leased' AND j.model_id = m.id AND j.lane = 'batch' LIMIT 1
        ) AS leased ON true
        LEFT JOIN LATERAL (
            SELECT 1 AS found FROM jobs g WHERE g.sweep_id = m.sweep_id AND g.state IN ('queued', 'leased') AND g.kind = 'generate' LIMIT 1
        ) AS generating ON m.role IN (\(ModelRole.sql(ModelRole.graders)))
        WHERE \(SweepSQL.mayRun) AND siuo_lane(m.settings) = 'batch'
          AND (p.n >= (m.settings->'batch'->>'maxRequests')::integer
               OR p.oldest <= now() - make_interval(secs => (m.settings->'batch'->>'maxWaitSeconds')::float8)
               OR (queued.found IS NULL AND leased.found IS NULL AND generating.found IS NULL))
        ORDER BY p.oldest
        LIMIT 1
        """

    /// A new batch of model $1 with $2 lines and tag $3, due by $4 seconds
    /// from now, leased to worker $5 for $6 seconds to submit it.
    static let insert = """
        WITH created AS (
            INSERT INTO batches (model_id, tag, lines_total, deadline_at, lease_token, leased_by, lease_expires_at)
            VALUES ($1, $3, $2, now() + make_interval(secs => $4::float8), gen_random_uuid(), $5, now() + make_interval(secs => $6::float8))
            RETURNING *
        )
        SELECT \(columns) FROM created b JOIN models m ON m.id = b.model_id
        """

    /// Batch $1, locked, only while $2 is its current lease.
    static let fence = """
        SELECT \(columns) FROM batches b JOIN models m ON m.id = b.model_id
        WHERE b.id = $1 AND b.lease_token = $2::uuid AND b.lease_expires_at >= now()
        FOR UPDATE OF b
        """

    /// Extends the lease $2 of batch $1 by $3 seconds: while the worker works, and right
    /// before it sends the request that pays, so a batch being submitted
    /// counts from then on as one that may have reached the provider.
    static let renew = """
        UPDATE batches SET lease_expires_at = now() + make_interval(secs => $3::float8),
               may_be_sent = may_be_sent OR state = 'submitting'
        WHERE id = $1 AND lease_token = $2::uuid AND lease_expires_at >= now()
        RETURNING id
        """

    /// Provider batch ids recorded for models on the same provider and base URL as model $1.
    static let knownProviderIDs = """
        SELECT b.provider_batch_id FROM batches b JOIN models m ON m.id = b.model_id
        JOIN models mine ON mine.id = $1 AND mine.provider = m.provider AND mine.base_url = m.base_url
        WHERE b.provider_batch_id IS NOT NULL AND b.created_at > now() - interval '3 days'
        """

    /// Batch $1 is at the provider as $2 holding $3 lines; first check soon.
    static let submitted = """
        UPDATE batches SET state = 'running', provider_batch_id = $2, lines_total = $3, submitted_at = coalesce(submitted_at, now()),
               submit_attempts = submit_attempts + 1, next_check_at = now() + interval '1 second',
               lease_token = NULL, leased_by = NULL, lease_expires_at = NULL, last_error = NULL
        WHERE id = $1
        """

    /// Batch $1's progress ($2 provider state, $3 done, $4 failed, $5 total,
    /// $6 ended, $7 cancel asked); the next check in $8 seconds.
    static let progress = """
        UPDATE batches SET provider_state = $2, lines_done = $3, lines_failed = $4, lines_total = GREATEST($5, 0),
               state = CASE WHEN $6 THEN 'ended' ELSE state END, ended_at = CASE WHEN $6 THEN now() END,
               cancel_requested = cancel_requested OR $7, next_check_at = now() + make_interval(secs => $8::float8),
               lease_token = NULL, leased_by = NULL, lease_expires_at = NULL, last_error = NULL
        WHERE id = $1
        """

    /// Batch $1 is done with: collected (its lines settled), or closed
    /// without a provider batch (`$2` the reason, or NULL).
    static let close = """
        UPDATE batches SET state = 'collected', collected_at = now(), last_error = $2,
               lease_token = NULL, leased_by = NULL, lease_expires_at = NULL
        WHERE id = $1
        """

    /// The task could not be done now: try again in $2 seconds ($3 the error); a submit counts as tried.
    static let retryLater = """
        UPDATE batches SET next_check_at = now() + make_interval(secs => $2::float8), last_error = $3,
               submit_attempts = submit_attempts + CASE WHEN state = 'submitting' THEN 1 ELSE 0 END,
               lease_token = NULL, leased_by = NULL, lease_expires_at = NULL
        WHERE id = $1
        """

    /// Keeps the lease of a collecting worker on batch $1 between its reports, $2 seconds more.
    static let extendCollect = """
        UPDATE batches SET lease_expires_at = now() + make_interval(secs => $2::float8) WHERE id = $1
        """

    /// The batches of sweep $1 for its status, oldest first.
    static let ofSweep = """
        SELECT b.id, m.name AS model, b.provider_batch_id, b.state, b.provider_state, b.lines_done, b.lines_failed, b.lines_total,
               EXTRACT(EPOCH FROM now() - b.created_at)::float8 AS age
        FROM batches b JOIN models m ON m.id = b.model_id
        WHERE m.sweep_id = $1
        ORDER BY b.id
        """

    /// Batches by state, for `/metrics`.
    static let countsByState = "SELECT state, count(*) AS n FROM batches GROUP BY state"
}
