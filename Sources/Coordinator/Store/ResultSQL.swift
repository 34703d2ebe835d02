/// Set-based SQL for writing a batch of results in one transaction: a few
/// statements per batch instead of several per job.
enum ResultSQL {
    /// Fencing for a batch: the jobs whose ($1[i], $2[i]) lease is current, locked.
    static let fenceBatch = """
        SELECT j.id, j.kind, j.samples, j.attempts, j.max_attempts, j.sweep_id, j.response_id,
               j.model_id, m.rate_bucket_id, m.settings->'price' AS price
        FROM jobs j
        JOIN models m ON m.id = j.model_id
        JOIN unnest($1::bigint[], $2::uuid[]) AS l(id, token) ON l.id = j.id AND l.token = j.lease_token
        WHERE j.state = 'leased'
        ORDER BY j.id
        FOR UPDATE OF j
        """

    static let insertResponses = """
        INSERT INTO responses (job_id, sample_index, outcome, text, finish_reason, resolved_model, system_fingerprint, from_cache, cache_key)
        SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::text[])
        ON CONFLICT (job_id, sample_index) DO NOTHING
        """

    static let insertVerdicts = """
        INSERT INTO verdicts (job_id, response_id, kind, judge_model_id, value, label, judge_text, attempts)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::smallint[], $6::text[], $7::text[], $8::integer[])
        ON CONFLICT (job_id) DO NOTHING
        """

    static let responseCounts = """
        SELECT job_id, count(*) AS n FROM responses WHERE job_id = ANY($1::bigint[]) GROUP BY job_id
        """

    /// Adds each lease's usage to its job and finishes the jobs listed in $8.
    static let finishWithUsage = """
        UPDATE jobs j SET requests = j.requests + u.requests, retries = j.retries + u.retries,
               cache_hits = j.cache_hits + u.cache_hits, input_tokens = j.input_tokens + u.input_tokens,
               output_tokens = j.output_tokens + u.output_tokens, cost_usd = j.cost_usd + u.cost,
               state = 'done', lease_token = NULL, lease_expires_at = NULL, finished_at = now(), last_error = NULL
        FROM unnest($1::bigint[], $2::integer[], $3::integer[], $4::integer[], $5::bigint[], $6::bigint[], $7::float8[])
             AS u(id, requests, retries, cache_hits, input_tokens, output_tokens, cost)
        WHERE j.id = u.id
        """

    static let addSpend = """
        UPDATE sweeps s SET spent_usd = s.spent_usd + u.cost
        FROM (SELECT sweep_id, sum(cost) AS cost FROM unnest($1::bigint[], $2::float8[]) AS x(sweep_id, cost) GROUP BY sweep_id) u
        WHERE s.id = u.sweep_id AND u.cost > 0
        """

    /// Judge jobs for every gradable answer of the finished generate jobs $1.
    static let createJudgeJobs = """
        INSERT INTO jobs (sweep_id, kind, model_id, subject_model_id, case_id, response_id, max_attempts, priority)
        SELECT j.sweep_id, k.kind, jm.id, j.subject_model_id, j.case_id, r.id, j.max_attempts, 1
        FROM jobs j
        JOIN responses r ON r.job_id = j.id
        JOIN models jm ON jm.sweep_id = j.sweep_id AND jm.role = 'judge'
        CROSS JOIN (VALUES ('judge_safety'), ('judge_effectiveness')) AS k(kind)
        WHERE j.id = ANY($1::bigint[]) AND r.outcome = 'answer' AND btrim(r.text) <> ''
        ORDER BY j.id, r.sample_index, k.kind
        ON CONFLICT (response_id, kind) WHERE response_id IS NOT NULL DO NOTHING
        """
}
