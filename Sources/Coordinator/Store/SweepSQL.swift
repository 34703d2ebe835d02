/// Every statement on `sweeps` and `models` but the spend, which the
/// statements that end leases add (`JobSQL.addUsage`, `JobSQL.finish`), and
/// the status reads that count a sweep's jobs (a sweep's jobs are written by
/// `JobSQL+Sweeps`).
enum SweepSQL {
    /// Whether sweep `s` may have work sent for it: running, and under its
    /// budget. The one form of that rule, for the token take, the batch-lane
    /// claim and the forming of provider batches.
    static let mayRun = "s.state = 'running' AND (s.budget_usd IS NULL OR s.spent_usd < s.budget_usd)"

    static let dataset = "SELECT id, has_mcqa FROM datasets WHERE name = $1 AND retired_at IS NULL"
    static let categories = "SELECT DISTINCT category FROM cases WHERE dataset_id = $1 ORDER BY category"
    /// The current sweep $1, read under the name's lock (`LockSQL.named`), which serialises every
    /// command on a sweep; its row is not locked (see `SweepStore.sweepID`).
    static let current = """
        SELECT id, state, definition, dataset_id FROM sweeps WHERE name = $1 AND state <> 'replaced'
        """
    static let insert = """
        INSERT INTO sweeps (name, dataset_id, definition, identity_sha256, seed, lease_ttl_s, budget_usd)
        VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) RETURNING id
        """
    static let updateOperational = """
        UPDATE sweeps SET definition = $2::jsonb, lease_ttl_s = $3, budget_usd = $4, updated_at = now() WHERE id = $1
        """
    static let retire = "UPDATE sweeps SET state = 'replaced', updated_at = now() WHERE id = $1"
    static let upsertModel = """
        INSERT INTO models (sweep_id, name, role, provider, model, base_url, api_key_env, rate_bucket_id, settings)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
        ON CONFLICT (sweep_id, role, name) DO UPDATE SET
            api_key_env = EXCLUDED.api_key_env, rate_bucket_id = EXCLUDED.rate_bucket_id, settings = EXCLUDED.settings
        """
    static let setState = "UPDATE sweeps SET state = $2, updated_at = now() WHERE id = $1"
    static let byName = "SELECT id, state, spent_usd, budget_usd FROM sweeps WHERE name = $1 AND state <> 'replaced'"
    static let names = "SELECT name FROM sweeps WHERE state <> 'replaced' ORDER BY created_at, name"
    static let counts = """
        SELECT m.name AS model, j.kind, j.state, count(*) AS n
        FROM jobs j JOIN models m ON m.id = j.subject_model_id
        WHERE j.sweep_id = $1
        GROUP BY m.name, j.kind, j.state
        """
    /// What the live view shows per model and kind beyond the counts.
    static let progress = """
        SELECT m.name AS model, j.kind, count(*) FILTER (WHERE j.state = 'failed') AS failed,
               coalesce(sum(j.retries), 0)::bigint AS retries,
               coalesce(sum(j.input_tokens + j.output_tokens), 0)::bigint AS tokens,
               coalesce(sum(o.refusals), 0)::bigint AS refusals, coalesce(sum(o.blocked), 0)::bigint AS blocked,
               count(v.id) FILTER (WHERE v.value IS NULL) AS judge_failures
        FROM jobs j JOIN models m ON m.id = j.subject_model_id
        LEFT JOIN LATERAL (
            SELECT count(*) FILTER (WHERE r.outcome = 'refusal') AS refusals, count(*) FILTER (WHERE r.outcome = 'blocked') AS blocked
            FROM responses r WHERE r.job_id = j.id AND j.kind IN ('generate', 'mcqa')
        ) o ON true
        LEFT JOIN verdicts v ON v.job_id = j.id
        WHERE j.sweep_id = $1
        GROUP BY m.name, j.kind
        """
    /// Per model called (the judge for judge jobs): its jobs that failed for good ($1 the sweep),
    /// and its most recent distinct last errors, each cut to $2 characters, at most $3 of them.
    static let failures = """
        SELECT model, failed, message, n, cut FROM (
            SELECT m.name AS model, left(coalesce(j.last_error, 'no error recorded'), $2::integer) AS message, count(*) AS n,
                   bool_or(length(j.last_error) > $2::integer) AS cut,
                   (sum(count(*)) OVER (PARTITION BY m.name))::bigint AS failed,
                   row_number() OVER (PARTITION BY m.name ORDER BY max(j.finished_at) DESC NULLS LAST, max(j.id) DESC) AS rank
            FROM jobs j JOIN models m ON m.id = j.model_id
            WHERE j.sweep_id = $1 AND j.state = 'failed'
            GROUP BY 1, 2
        ) f
        WHERE rank <= $3
        ORDER BY model, rank
        """
    static let activeEndpoints = """
        SELECT DISTINCT m.provider, m.base_url, m.model, m.api_key_env
        FROM models m JOIN sweeps s ON s.id = m.sweep_id
        WHERE s.state = 'running'
        ORDER BY m.provider, m.base_url, m.model
        """
}
