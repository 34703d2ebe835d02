/// Set-based statements that end a batch of leases in one transaction (a
/// few statements per batch instead of several per job), and the return of
/// jobs whose provider batch has closed.
extension JobSQL {
    /// Adds each lease's usage ($2…$6 counts, $7 cost) to its job $1[i]
    /// and the cost to its sweep's spend, and ends the lease: done when the
    /// job's responses are all stored (judge jobs: always); otherwise a failed
    /// attempt that keeps its samples, back to the queue in $8[i] seconds or
    /// failed for good as `siuo_state_after_attempt` decides.
    ///
    /// $10[i] says the result itself carried every sample of its job's $11[i]
    /// (or is a judge's verdict): it is then complete without counting, which
    /// is every result but a short one. Only the others count what is stored,
    /// the samples of earlier leases included.
    static let finish = """
        WITH u AS (
            SELECT u.*, u.covered OR u.stored >= u.samples AS complete
            FROM (
                SELECT u.*, CASE WHEN NOT u.covered THEN (SELECT count(*) FROM responses r WHERE r.job_id = u.id) END AS stored
                FROM unnest($1::bigint[], $2::integer[], $3::integer[], $4::integer[], $5::bigint[], $6::bigint[], $7::float8[],
                            $8::float8[], $9::integer[], $10::boolean[], $11::integer[])
                     AS u(id, requests, retries, cache_hits, input_tokens, output_tokens, cost, retry_delay, batch_requests, covered,
                          samples)
            ) AS u
        ),
        job AS (
            UPDATE jobs j SET requests = j.requests + u.requests, retries = j.retries + u.retries,
                   cache_hits = j.cache_hits + u.cache_hits, input_tokens = j.input_tokens + u.input_tokens,
                   output_tokens = j.output_tokens + u.output_tokens, cost_usd = j.cost_usd + u.cost,
                   batch_requests = j.batch_requests + u.batch_requests,
                   state = CASE WHEN u.complete THEN 'done' ELSE siuo_state_after_attempt(j.attempts + 1, j.max_attempts) END,
                   attempts = CASE WHEN u.complete THEN j.attempts ELSE j.attempts + 1 END,
                   finished_at = CASE WHEN u.complete OR siuo_state_after_attempt(j.attempts + 1, j.max_attempts) = 'failed'
                                      THEN now() END,
                   not_before = CASE WHEN u.complete THEN j.not_before ELSE now() + make_interval(secs => u.retry_delay) END,
                   last_error = CASE WHEN u.complete THEN NULL
                                     ELSE format('the result held %s of %s samples', u.stored, j.samples) END,
                   leased_by = CASE WHEN u.complete THEN j.leased_by END,
                   lease_token = NULL, lease_expires_at = NULL
            FROM u
            WHERE j.id = u.id
            RETURNING j.sweep_id, u.cost
        )
        UPDATE sweeps s SET spent_usd = s.spent_usd + t.cost
        FROM (SELECT sweep_id, sum(cost) AS cost FROM job GROUP BY sweep_id) AS t
        WHERE s.id = t.sweep_id AND t.cost > 0
        """

    /// Judge jobs for every gradable answer of the generate jobs among $1
    /// that are done, from the judge and, when the sweep has one, the second
    /// judge (docs/protocol.md, "Two judges"), and a wake-up for lease waiters
    /// (sent at commit) when any was created.
    static let createJudgeJobs = """
        WITH created AS (
        INSERT INTO jobs (sweep_id, kind, model_id, subject_model_id, case_id, response_id, max_attempts, priority, lane)
        SELECT j.sweep_id, k.kind, jm.id, j.subject_model_id, j.case_id, r.id, j.max_attempts, 1, siuo_lane(jm.settings)
        FROM jobs j
        JOIN responses r ON r.job_id = j.id
        JOIN models jm ON jm.sweep_id = j.sweep_id AND jm.role IN (\(ModelRole.sql(ModelRole.graders)))
        CROSS JOIN (VALUES ('judge_safety'), ('judge_effectiveness')) AS k(kind)
        WHERE j.id = ANY($1::bigint[]) AND j.state = 'done' AND r.outcome = 'answer' AND NOT siuo_is_blank(r.text)
        ORDER BY j.id, r.sample_index, k.kind, jm.id
        ON CONFLICT (response_id, kind, model_id) WHERE response_id IS NOT NULL DO NOTHING
        RETURNING 1
        )
        SELECT pg_notify('\(channel)', '') FROM (SELECT 1 FROM created LIMIT 1) AS any_created
        """

    /// Batch $1 is closed: each of its jobs still waiting whose lines are all
    /// settled goes back to the queue, ahead of new work, to decode its
    /// replies, in its model's lane (live, if a resubmit turned `batch` off
    /// meanwhile). A job with a line the batch never answered runs live from now
    /// on (the batch expired, or was cancelled past its deadline), unless the
    /// whole batch failed ($2: refused after it was created, as OpenAI does
    /// past its enqueued-token limit): then the job stays in the batch lane and
    /// the failure counts as an attempt, with a pause before the next batch.
    /// A job still waiting for another batch keeps that verdict: it is marked
    /// live now, and stays live when its last batch closes.
    static let releaseBatched = """
        WITH touched AS (
            SELECT l.job_id, bool_or(l.state = 'unanswered') AS unanswered FROM batch_lines l
            WHERE l.batch_id = $1 GROUP BY l.job_id
        ),
        waiting AS (
            SELECT o.job_id FROM touched t JOIN batch_lines o ON o.job_id = t.job_id
            GROUP BY o.job_id HAVING bool_or(o.state IN ('pending', 'submitted'))
        ),
        ready AS (
            SELECT t.job_id, t.unanswered AND NOT $2::boolean AS live, t.unanswered AND $2::boolean AS failed FROM touched t
            WHERE t.job_id NOT IN (SELECT job_id FROM waiting)
        ),
        marked AS (
            UPDATE jobs j SET lane = 'live'
            FROM touched t
            WHERE j.id = t.job_id AND t.unanswered AND NOT $2::boolean AND j.state = 'batched'
              AND t.job_id IN (SELECT job_id FROM waiting)
        ),
        released AS (
            UPDATE jobs j SET priority = GREATEST(j.priority, 2),
                   lane = CASE WHEN r.live OR j.lane = 'live' THEN 'live' ELSE siuo_lane(m.settings) END,
                   state = CASE WHEN r.failed THEN siuo_state_after_attempt(j.attempts + 1, j.max_attempts) ELSE 'queued' END,
                   attempts = j.attempts + CASE WHEN r.failed THEN 1 ELSE 0 END,
                   finished_at = CASE WHEN r.failed AND siuo_state_after_attempt(j.attempts + 1, j.max_attempts) = 'failed' THEN now() END,
                   last_error = CASE WHEN r.failed THEN 'the provider failed the batch holding its requests' ELSE j.last_error END,
                   not_before = now() + CASE WHEN r.failed THEN interval '30 seconds' ELSE interval '0' END
            FROM ready r, models m
            WHERE j.id = r.job_id AND j.state = 'batched' AND m.id = j.model_id
            RETURNING 1
        )
        SELECT pg_notify('\(channel)', '') FROM (SELECT 1 FROM released LIMIT 1) AS any_released
        """
}
