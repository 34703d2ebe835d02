/// SQL that reads one sweep's results for reports and exports. Every query but `sweep` (which
/// finds it by name) takes the sweep id as $1; all only read: a report never changes what it reports on.
enum ReportSQL {
    static let sweep = """
        SELECT s.id, s.name, s.definition, s.seed, s.created_at, d.name AS dataset, d.content_sha256,
               (SELECT max(j.finished_at) FROM jobs j WHERE j.sweep_id = s.id) AS last_finished_at
        FROM sweeps s JOIN datasets d ON d.id = s.dataset_id
        WHERE s.name = $1 AND s.state <> 'replaced'
        """

    static let models = "SELECT id, name, role FROM models WHERE sweep_id = $1 ORDER BY id"

    /// The cases the sweep has jobs for, in dataset order.
    static let cases = """
        SELECT c.id, c.question_id, c.category, c.generation_item, c.mcqa_item
        FROM cases c
        WHERE c.id IN (SELECT j.case_id FROM jobs j WHERE j.sweep_id = $1)
        ORDER BY c.position
        """

    /// Responses of finished generate and MCQA jobs, in sample order; of case $2 only, unless NULL.
    static let responses = """
        SELECT j.id AS job_id, j.kind, j.subject_model_id AS model_id, j.case_id, r.id AS response_id,
               r.sample_index, r.outcome, r.text, r.resolved_model, r.system_fingerprint
        FROM jobs j JOIN responses r ON r.job_id = j.id
        WHERE j.sweep_id = $1 AND j.kind IN ('generate', 'mcqa') AND j.state = 'done' AND ($2::bigint IS NULL OR j.case_id = $2)
        ORDER BY j.subject_model_id, j.case_id, j.kind, r.sample_index
        """

    /// Generate jobs some of whose responses still wait for the judge (the second judge's jobs
    /// do not hold a case back: they never change the score).
    static let awaitingJudges = """
        SELECT DISTINCT r.job_id
        FROM jobs jj JOIN responses r ON r.id = jj.response_id JOIN models m ON m.id = jj.model_id
        WHERE jj.sweep_id = $1 AND jj.state IN (\(JobSQL.unfinishedStates)) AND m.role = \(ModelRole.judge.sql)
        """

    /// The verdicts of the judge's jobs (the fallback judge answers within them), the only ones
    /// the score reads; $2 is the role: `judge`, or `second_judge` for the agreement block.
    static let verdicts = """
        SELECT v.response_id, v.kind, v.value, v.judge_text
        FROM verdicts v JOIN jobs j ON j.id = v.job_id JOIN models m ON m.id = j.model_id
        WHERE j.sweep_id = $1 AND m.role = $2
        """

    /// Usage per target model, its own calls apart from the judge calls that graded it; jobs in
    /// every state count, since failed attempts were paid for too. `cost_usd` is what was billed
    /// (batch requests at their discount); `batch_requests` counts the requests a batch answered.
    static let usage = """
        SELECT j.subject_model_id AS model_id, j.kind IN ('judge_safety', 'judge_effectiveness') AS judging,
               sum(j.requests)::bigint AS requests, sum(j.retries)::bigint AS retries,
               sum(j.cache_hits)::bigint AS cache_hits, sum(j.input_tokens)::bigint AS input_tokens,
               sum(j.output_tokens)::bigint AS output_tokens, sum(j.batch_requests)::bigint AS batch_requests,
               sum(j.cost_usd)::float8 AS cost_usd
        FROM jobs j
        WHERE j.sweep_id = $1
        GROUP BY 1, 2
        """
}
