/// Every statement on `responses` and `verdicts`: the one home of those
/// tables' SQL. Each writes a whole batch of results in one statement; the
/// jobs they belong to are ended by `JobSQL.finish` in the same transaction.
enum ResultSQL {
    static let insertResponses = """
        INSERT INTO responses (job_id, sample_index, outcome, text, finish_reason, resolved_model, system_fingerprint, from_cache, cache_key)
        SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::text[])
        ON CONFLICT (job_id, sample_index) DO NOTHING
        """

    /// Stores each judge job's verdict; one the fallback judge gave ($9[i])
    /// names the sweep's fallback judge as its judging model, the judge job's
    /// model $4[i] otherwise (and when the sweep has no fallback judge).
    static let insertVerdicts = """
        INSERT INTO verdicts (job_id, response_id, kind, judge_model_id, value, label, judge_text, attempts)
        SELECT v.job_id, v.response_id, v.kind,
               COALESCE(CASE WHEN v.by_fallback THEN (SELECT fm.id FROM jobs j
                                                      JOIN models m ON m.id = j.model_id AND m.role = \(ModelRole.judge.sql)
                                                      JOIN models fm ON fm.sweep_id = j.sweep_id AND fm.role = \(ModelRole.fallbackJudge.sql)
                                                      WHERE j.id = v.job_id) END,
                        v.judge_model_id),
               v.value, v.label, v.judge_text, v.attempts
        FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::smallint[], $6::text[], $7::text[], $8::integer[], $9::boolean[])
             AS v(job_id, response_id, kind, judge_model_id, value, label, judge_text, attempts, by_fallback)
        ON CONFLICT (job_id) DO NOTHING
        """
}
