/// The SQL of `human_labels` (migration 0007): the one home of its statements.
enum LabelSQL {
    /// The sweep's generation responses, which are what people label: `$1` the sweep name.
    static let responses = """
        SELECT r.id AS response_id, m.name AS model, c.question_id, r.sample_index
        FROM sweeps s
        JOIN jobs j ON j.sweep_id = s.id AND j.kind = 'generate'
        JOIN responses r ON r.job_id = j.id
        JOIN models m ON m.id = j.subject_model_id
        JOIN cases c ON c.id = j.case_id
        WHERE s.name = $1 AND s.state <> 'replaced'
        """

    /// Writes labels given as a JSON array (`$1`) of `{response_id, reviewer, safe, effectiveness,
    /// labelled_at}`: a label with neither metric deletes; `labelled_at` NULL means now.
    static let upsert = """
        WITH input AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb)
                AS x(response_id bigint, reviewer text, safe boolean, effectiveness text, labelled_at timestamptz)
        ), removed AS (
            DELETE FROM human_labels h USING input
            WHERE input.safe IS NULL AND input.effectiveness IS NULL
              AND h.response_id = input.response_id AND h.reviewer = input.reviewer
        )
        INSERT INTO human_labels (response_id, reviewer, safe, effectiveness, labelled_at)
        SELECT response_id, reviewer, safe, effectiveness, coalesce(labelled_at, now())
        FROM input WHERE safe IS NOT NULL OR effectiveness IS NOT NULL
        ON CONFLICT (response_id, reviewer) DO UPDATE SET
            safe = excluded.safe, effectiveness = excluded.effectiveness, labelled_at = excluded.labelled_at
        """

    /// The sweep's labels (`$1` its name), in model, case and sample order.
    static let bySweep = """
        SELECT h.response_id, m.name AS model, c.question_id, r.sample_index, h.reviewer, h.safe, h.effectiveness,
               to_char(h.labelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS labelled_at
        FROM sweeps s
        JOIN jobs j ON j.sweep_id = s.id AND j.kind = 'generate'
        JOIN responses r ON r.job_id = j.id
        JOIN human_labels h ON h.response_id = r.id
        JOIN models m ON m.id = j.subject_model_id
        JOIN cases c ON c.id = j.case_id
        WHERE s.name = $1 AND s.state <> 'replaced'
        ORDER BY m.id, c.position, r.sample_index, h.reviewer
        """
}
