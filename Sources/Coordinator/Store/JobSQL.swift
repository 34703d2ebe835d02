import Shared

/// Every statement that writes `jobs`: the one home of that table's SQL
/// (docs/architecture.md, "Lease"). This file holds the claims; the
/// extensions hold the leases' fencing and endings (`JobSQL+Leases`), the
/// set-based endings of result batches (`JobSQL+Results`) and a whole
/// sweep's jobs (`JobSQL+Sweeps`). Reads that join jobs for a report or a
/// status live with their reader (`ReportSQL`, `CaseSQL`, `SweepSQL`).
enum JobSQL {
    /// The states of a job that has not ended: waiting to run, running, or
    /// waiting for its provider batch. Every query that asks whether work is
    /// still to come uses this one list.
    static let unfinishedStates = JobState.allCases.filter(\.isUnfinished).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Claims, for each model of lease request $1's grant (`lease_grants`,
    /// written by `RateBucketSQL.take` earlier in the same round trip), up to
    /// its share of runnable live-lane jobs in priority order, along the
    /// `jobs_runnable` index (so a long queue is not sorted), leases them to
    /// worker $2 for their sweep's TTL, records how many each model claimed
    /// (the give-back returns the rest: `RateBucketSQL.giveBackUnclaimed`),
    /// and answers everything a worker needs to run them, in one statement.
    /// SKIP LOCKED lets concurrent claimers take different rows instead of waiting.
    ///
    /// The claimed ids reach the UPDATE as an array: the planner cannot know
    /// how many rows a LIMIT taken from another table gives, guesses
    /// thousands, and would otherwise join by hashing the whole jobs table
    /// (and cases), a cost that grows with the queue.
    static let claim = claiming(
        picked: """
            SELECT p.id
            FROM lease_grants g
            CROSS JOIN LATERAL (
                SELECT j.id FROM jobs j
                WHERE j.model_id = g.model_id AND j.state = 'queued' AND j.lane = 'live' AND j.not_before <= now()
                ORDER BY j.priority DESC, j.id
                LIMIT g.jobs
                FOR UPDATE SKIP LOCKED
            ) AS p
            WHERE g.request_id = $1::uuid
            """,
        worker: "$2",
        also: """
            ,
            recorded AS (
                UPDATE lease_grants g SET claimed = c.n
                FROM (SELECT model_id, count(*) AS n FROM claimed GROUP BY model_id) AS c
                WHERE g.request_id = $1::uuid AND g.model_id = c.model_id
            )
            """)

    /// Claims up to $4 runnable batch-lane jobs of the models of running,
    /// under-budget sweeps on the endpoints ($1 providers, $2 base URLs, $3
    /// models), along `jobs_batch_runnable`, and leases them to worker $5
    /// like `claim`. No rate token: these leases send nothing live (their
    /// requests become batch lines, or their batch replies are decoded).
    static let claimBatch = claiming(
        picked: """
            SELECT p.id
            FROM models m
            JOIN sweeps s ON s.id = m.sweep_id
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
              ON m.provider = e.provider AND m.base_url = e.base_url AND m.model = e.model
            CROSS JOIN LATERAL (
                SELECT j.id FROM jobs j
                WHERE j.model_id = m.id AND j.state = 'queued' AND j.lane = 'batch' AND j.not_before <= now()
                ORDER BY j.priority DESC, j.id
                LIMIT $4
                FOR UPDATE SKIP LOCKED
            ) AS p
            WHERE \(SweepSQL.mayRun)
            LIMIT $4
            """, worker: "$5")

    /// The claim statement around a `picked` query of job ids: lease them to
    /// `worker` and read everything a worker needs, batch replies included;
    /// `also` adds CTEs, after a comma, that may read `claimed`.
    private static func claiming(picked: String, worker: String, also: String = "") -> String {
        """
        WITH picked AS (
        \(picked)
        ),
        claimed AS (
            UPDATE jobs j SET state = 'leased', lease_token = gen_random_uuid(), leased_by = \(worker),
                   lease_expires_at = now() + make_interval(secs => (SELECT s.lease_ttl_s FROM sweeps s WHERE s.id = j.sweep_id))
            WHERE j.id = ANY (ARRAY(SELECT id FROM picked))
            RETURNING j.id, j.lease_token, j.lease_expires_at, j.kind, j.samples, j.attempts, j.priority,
                      j.sweep_id, j.model_id, j.case_id, j.response_id, j.lane
        )\(also),
        -- What a sweep and a model give their leases, worked out once per call and not per job: a
        -- sweep's definition (every model's settings) and a judge's settings with its own prompts are
        -- stored compressed once they pass about 2 kB, and each read of a field decompressed them.
        sweep AS MATERIALIZED (
            SELECT s.id, s.name, s.lease_ttl_s,
                   s.definition->'prompts'->>'generation' AS generation_template,
                   s.definition->'prompts'->>'mcqa' AS mcqa_template,
                   CASE WHEN (s.definition->>'cache')::boolean IS DISTINCT FROM false
                        THEN coalesce(s.definition->>'cacheNamespace', '') END AS cache_namespace
            FROM sweeps s WHERE s.id IN (SELECT sweep_id FROM claimed)
        ),
        model AS MATERIALIZED (
            SELECT m.id, m.role, m.settings::text AS settings,
                   m.settings->>'safetyPrompt' AS safety_template, m.settings->>'effectivenessPrompt' AS effectiveness_template
            FROM models m WHERE m.id IN (SELECT model_id FROM claimed)
        )
        SELECT j.id, j.lease_token, j.lease_expires_at, j.kind, j.samples, j.attempts, s.lease_ttl_s,
               s.name AS sweep, j.model_id, m.settings, c.question_id, c.category, c.question, c.image_sha256,
               i.media_type, c.safety_warning, c.reference_answer, c.mcqa_item->'options' AS options,
               r.sample_index AS graded_index, r.text AS graded_text, fm.id AS fallback_id, fm.settings AS fallback_settings,
               CASE j.kind WHEN 'generate' THEN s.generation_template
                           WHEN 'mcqa' THEN s.mcqa_template
                           WHEN 'judge_safety' THEN m.safety_template
                           ELSE m.effectiveness_template END AS template,
               (SELECT string_agg(x.sample_index::text, ',' ORDER BY x.sample_index)
                FROM responses x WHERE x.job_id = j.id) AS received,
               s.cache_namespace,
               j.lane = 'batch' AS via_batch,
               -- By job alone, the state tested after (see BatchLineSQL).
               (SELECT json_agg(json_build_object('custom_id', l.custom_id, 'status', l.reply_status, 'body', l.reply_body) ORDER BY l.id)
                       FILTER (WHERE l.state = 'answered')
                FROM batch_lines l WHERE l.job_id = j.id) AS batch_replies
        FROM claimed j
        JOIN sweep s ON s.id = j.sweep_id
        JOIN model m ON m.id = j.model_id
        JOIN cases c ON c.id = j.case_id
        JOIN images i ON i.sha256 = c.image_sha256
        -- A lookup per job, never a join the planner may turn into a scan of every answer: a plan
        -- made while few answers are stored is kept as they pile up (AnswerPlanTests).
        LEFT JOIN LATERAL (SELECT r.sample_index, r.text FROM responses r WHERE r.id = j.response_id LIMIT 1) AS r ON true
        LEFT JOIN models fm ON j.response_id IS NOT NULL AND m.role = \(ModelRole.judge.sql) AND fm.sweep_id = j.sweep_id
                            AND fm.role = \(ModelRole.fallbackJudge.sql)
        ORDER BY j.priority DESC, j.id
        """
    }

    /// The channel every statement that makes work runnable notifies at commit
    /// (`JobNotificationListener` listens on it).
    static let channel = "siuo_jobs"

    /// Wakes lease waiters on every coordinator (sent at commit).
    static let notify = "SELECT pg_notify('\(channel)', '')"
}
