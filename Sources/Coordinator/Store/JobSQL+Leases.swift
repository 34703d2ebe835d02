/// Statements on the leases the workers hold: fencing (the lock that makes
/// a write stick only under the current lease), heartbeats, the endings a
/// worker reports one job at a time, and the coordinator's own endings (the
/// rescuer, a dead local run's leases taken back).
extension JobSQL {
    /// The columns `FencedJob` reads, for both fencing queries.
    static let fencedColumns = """
        j.id, j.kind, j.samples, j.attempts, j.sweep_id, j.response_id, j.lane,
        j.model_id, m.rate_bucket_id, (m.settings->'price'->>'inputPerMTok')::float8 AS input_price,
        (m.settings->'price'->>'outputPerMTok')::float8 AS output_price,
        (m.settings->'price'->>'batchDiscount')::float8 AS batch_discount
        """

    /// Fencing: the job, locked, only while ($1, $2) is its current lease.
    ///
    /// A lease is current while its job holds its token: the jobs table's
    /// check constraints make a job hold a token exactly while it is leased
    /// (`jobs_check`, `jobs_token_means_leased`), so this, the batch fence
    /// and the heartbeat match on id and token alone. They must not name the
    /// state or the expiry: with either, the planner may read every lease in
    /// the cluster (along `jobs_lease_expiry`, or the whole table) to find
    /// its few, whenever the statistics were taken while few jobs were
    /// leased (`FencingPlanTests`).
    static let fence = """
        SELECT \(fencedColumns)
        FROM jobs j JOIN models m ON m.id = j.model_id
        WHERE j.id = $1 AND j.lease_token = $2::uuid
        FOR UPDATE OF j
        """

    /// Fencing for a batch: the jobs whose ($1[i], $2[i]) lease is current
    /// (matched as `fence` says), locked.
    static let fenceBatch = """
        SELECT \(fencedColumns)
        FROM jobs j
        JOIN models m ON m.id = j.model_id
        JOIN unnest($1::bigint[], $2::uuid[]) AS l(id, token) ON l.id = j.id AND l.token = j.lease_token
        ORDER BY j.id
        FOR UPDATE OF j
        """

    /// Extends the leases ($1[i], $2[i]) that are current (matched as `fence` says).
    /// The rows are locked in id order first, as `fenceBatch` locks them: a
    /// worker's heartbeat and its result batch often name the same jobs, and
    /// rows locked in the order a request lists them could deadlock the two.
    static let heartbeat = """
        UPDATE jobs j SET lease_expires_at = now() + make_interval(secs => s.lease_ttl_s)
        FROM (
            SELECT j.id FROM jobs j
            JOIN unnest($1::bigint[], $2::uuid[]) AS l(id, token) ON l.id = j.id AND l.token = j.lease_token
            ORDER BY j.id
            FOR UPDATE OF j
        ) AS current, sweeps s
        WHERE j.id = current.id AND s.id = j.sweep_id
        RETURNING j.id
        """

    /// Adds a lease's usage to the job and its cost to the sweep's spend.
    static let addUsage = """
        WITH job AS (
            UPDATE jobs SET requests = requests + $2, retries = retries + $3, cache_hits = cache_hits + $4,
                   input_tokens = input_tokens + $5, output_tokens = output_tokens + $6, cost_usd = cost_usd + $7,
                   batch_requests = batch_requests + $8
            WHERE id = $1 RETURNING sweep_id
        )
        UPDATE sweeps SET spent_usd = spent_usd + $7::float8 FROM job WHERE sweeps.id = job.sweep_id AND $7::float8 > 0
        """

    /// Ends the current lease of job $1 as an attempt that did not finish
    /// it: back to the queue, due in $2 seconds, or failed for good when the
    /// $3 attempts (counted after this lease) reach its `max_attempts`
    /// (`siuo_state_after_attempt`, the one home of that rule). $4: the error.
    static let endAttempt = """
        UPDATE jobs SET state = siuo_state_after_attempt($3, max_attempts),
               finished_at = CASE WHEN siuo_state_after_attempt($3, max_attempts) = 'failed' THEN now() END,
               not_before = now() + make_interval(secs => $2::float8), attempts = $3, last_error = $4,
               lease_token = NULL, lease_expires_at = NULL, leased_by = NULL
        WHERE id = $1
        """

    /// Gives the lease of job $1 back without counting an attempt, due in $2 seconds.
    static let release = """
        UPDATE jobs SET state = 'queued', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
               not_before = now() + make_interval(secs => $2::float8), last_error = 'released by the worker'
        WHERE id = $1
        """

    /// Job $1's requests wait in batch lines: it waits too, holding no lease,
    /// until the batch is collected (`JobSQL.releaseBatched`).
    static let waitForBatch = """
        UPDATE jobs SET state = 'batched', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
               last_error = NULL
        WHERE id = $1
        """

    /// Fails job $1 for good (a failure the worker says no retry can fix).
    static let failForGood = """
        UPDATE jobs SET state = 'failed', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
               attempts = $2, last_error = $3, finished_at = now()
        WHERE id = $1
        """

    /// The error an expired lease's job records (the rescuer's mark).
    static let expiredLeaseError = "lease expired: the worker stopped heartbeating"

    /// The rescuer: expired leases end as a failed attempt (back to the
    /// queue, or failed when out of attempts). The expiry is checked again
    /// inside the UPDATE, so a lease a heartbeat extended meanwhile is left alone.
    static let rescue = """
        UPDATE jobs SET
            state = siuo_state_after_attempt(attempts + 1, max_attempts),
            finished_at = CASE WHEN siuo_state_after_attempt(attempts + 1, max_attempts) = 'failed' THEN now() END,
            attempts = attempts + 1, lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
            not_before = now(), last_error = '\(expiredLeaseError)'
        WHERE id IN (SELECT id FROM jobs WHERE state = 'leased' AND lease_expires_at < now()
                     ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          AND state = 'leased' AND lease_expires_at < now()
        RETURNING id
        """

    /// The current leases held by the workers $1 (a dead local run's, to take back).
    static let leasesHeldBy = """
        SELECT id, lease_token FROM jobs WHERE state = 'leased' AND leased_by = ANY($1::text[]) ORDER BY id
        """
}
