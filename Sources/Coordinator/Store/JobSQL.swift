/// The lease engine's SQL (docs/architecture.md, "Lease").
enum JobSQL {
    /// Claims up to $2 runnable jobs of model $1, in priority order, along
    /// the `jobs_runnable` index (so a long queue is not sorted). SKIP LOCKED
    /// lets concurrent claimers take different rows instead of waiting.
    static let claim = """
        WITH picked AS (
            SELECT id FROM jobs
            WHERE model_id = $1 AND state = 'queued' AND not_before <= now()
            ORDER BY priority DESC, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j SET state = 'leased', lease_token = gen_random_uuid(), leased_by = $3,
               lease_expires_at = now() + make_interval(secs => $4::integer)
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.id
        """

    /// The models of running, under-budget sweeps on these endpoints, with
    /// their bucket, lease TTL, and how many jobs each could give now
    /// (counted only up to $4, the request's size, so a long queue costs nothing).
    /// A bucket without a whole request token now (as `TokenBucket.refilled`
    /// computes it) or paused by a throttle is left out: a long poll on a
    /// rate-limited endpoint then costs this one read, not a locking take.
    /// A stale read only defers a claim to the next poll; `take` decides.
    static let runnableModels = """
        SELECT m.id AS model_id, m.rate_bucket_id AS bucket_id, s.lease_ttl_s, r.n
        FROM models m
        JOIN sweeps s ON s.id = m.sweep_id
        JOIN rate_buckets b ON b.id = m.rate_bucket_id
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
          ON b.provider = e.provider AND b.base_url = e.base_url AND b.model = e.model
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM (
                SELECT 1 FROM jobs j
                WHERE j.model_id = m.id AND j.state = 'queued' AND j.not_before <= now()
                LIMIT $4) AS runnable
        ) AS r
        WHERE s.state = 'running' AND (s.budget_usd IS NULL OR s.spent_usd < s.budget_usd) AND r.n > 0
          AND (b.throttled_until IS NULL OR b.throttled_until <= now())
          AND LEAST(COALESCE(b.burst, GREATEST(1, b.current_rpm / 60)),
                    b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.refilled_at)::float8) * b.current_rpm / 60) >= 1
        ORDER BY m.rate_bucket_id, m.id
        """

    /// Everything a worker needs to run the leased jobs $1.
    static let leaseDetails = """
        SELECT j.id, j.lease_token, j.lease_expires_at, j.kind, j.samples, j.attempts, s.lease_ttl_s,
               s.name AS sweep, j.model_id, m.settings, c.question_id, c.category, c.question, c.image_sha256,
               i.media_type, c.safety_warning, c.reference_answer, c.mcqa_item->'options' AS options,
               r.sample_index AS graded_index, r.text AS graded_text, fm.id AS fallback_id, fm.settings AS fallback_settings,
               CASE j.kind WHEN 'generate' THEN s.definition->'prompts'->>'generation'
                           WHEN 'mcqa' THEN s.definition->'prompts'->>'mcqa'
                           WHEN 'judge_safety' THEN m.settings->>'safetyPrompt'
                           ELSE m.settings->>'effectivenessPrompt' END AS template,
               (SELECT string_agg(x.sample_index::text, ',' ORDER BY x.sample_index)
                FROM responses x WHERE x.job_id = j.id) AS received,
               CASE WHEN (s.definition->>'cache')::boolean IS DISTINCT FROM false
                    THEN coalesce(s.definition->>'cacheNamespace', '') END AS cache_namespace
        FROM jobs j
        JOIN sweeps s ON s.id = j.sweep_id
        JOIN models m ON m.id = j.model_id
        JOIN cases c ON c.id = j.case_id
        JOIN images i ON i.sha256 = c.image_sha256
        LEFT JOIN responses r ON r.id = j.response_id
        LEFT JOIN models fm ON j.response_id IS NOT NULL AND fm.sweep_id = j.sweep_id AND fm.role = 'fallback_judge'
        WHERE j.id = ANY($1::bigint[])
        ORDER BY j.priority DESC, j.id
        """

    /// Fencing: the job, locked, only while ($1, $2) is its current lease.
    static let fence = """
        SELECT j.id, j.kind, j.samples, j.attempts, j.max_attempts, j.sweep_id, j.response_id,
               j.model_id, m.rate_bucket_id, m.settings->'price' AS price
        FROM jobs j JOIN models m ON m.id = j.model_id
        WHERE j.id = $1 AND j.lease_token = $2::uuid AND j.state = 'leased'
        FOR UPDATE OF j
        """

    static let heartbeat = """
        UPDATE jobs j SET lease_expires_at = now() + make_interval(secs => s.lease_ttl_s)
        FROM sweeps s, unnest($1::bigint[], $2::uuid[]) AS l(id, token)
        WHERE j.id = l.id AND j.lease_token = l.token AND j.state = 'leased' AND s.id = j.sweep_id
        RETURNING j.id
        """

    /// Adds a lease's usage to the job and its cost to the sweep's spend.
    static let addUsage = """
        WITH job AS (
            UPDATE jobs SET requests = requests + $2, retries = retries + $3, cache_hits = cache_hits + $4,
                   input_tokens = input_tokens + $5, output_tokens = output_tokens + $6, cost_usd = cost_usd + $7
            WHERE id = $1 RETURNING sweep_id
        )
        UPDATE sweeps SET spent_usd = spent_usd + $7::float8 FROM job WHERE sweeps.id = job.sweep_id AND $7::float8 > 0
        """

    /// Back to the queue ($2: due time, $3: attempts after this lease, $4: error).
    static let requeue = """
        UPDATE jobs SET state = 'queued', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
               not_before = $2, attempts = $3, last_error = $4
        WHERE id = $1
        """

    static let failForGood = """
        UPDATE jobs SET state = 'failed', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
               attempts = $2, last_error = $3, finished_at = now()
        WHERE id = $1
        """

    /// The rescuer: expired leases back to the queue (or failed when out of
    /// attempts). The expiry is checked again inside the UPDATE, so a lease a
    /// heartbeat extended meanwhile is left alone.
    static let rescue = """
        UPDATE jobs SET
            state = CASE WHEN attempts + 1 >= max_attempts THEN 'failed' ELSE 'queued' END,
            finished_at = CASE WHEN attempts + 1 >= max_attempts THEN now() END,
            attempts = attempts + 1, lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
            not_before = now(), last_error = 'lease expired: the worker stopped heartbeating'
        WHERE id IN (SELECT id FROM jobs WHERE state = 'leased' AND lease_expires_at < now()
                     ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          AND state = 'leased' AND lease_expires_at < now()
        RETURNING id
        """

    /// The current leases held by the workers $1 (a dead local run's, to take back).
    static let leasesHeldBy = """
        SELECT id, lease_token FROM jobs WHERE state = 'leased' AND leased_by = ANY($1::text[]) ORDER BY id
        """

    static let notify = "SELECT pg_notify('siuo_jobs', '')"
}
