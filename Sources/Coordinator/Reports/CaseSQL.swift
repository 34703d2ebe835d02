/// SQL that reads a sweep's cases for the viewer (`GET /v1/sweeps/{name}/cases[/{question_id}]`). Every
/// query but `sweep` (which finds it by name) takes the sweep id as `$1` and, where it has a `$2`, a case
/// id (NULL: every case); reads only.
enum CaseSQL {
    /// The current sweep `$1` (a name). Its models and responses are read as the report reads
    /// them (`SweepRecordsLoader`).
    static let sweep = "SELECT id FROM sweeps WHERE name = $1 AND state <> 'replaced'"

    /// The cases the sweep has jobs for, in dataset order, with what the case page shows.
    static let cases = """
        SELECT c.id, c.question_id, c.category, c.question, c.safety_warning, c.reference_answer, c.mcqa_item,
               c.image_sha256, i.media_type
        FROM cases c JOIN images i ON i.sha256 = c.image_sha256
        WHERE c.id IN (SELECT j.case_id FROM jobs j WHERE j.sweep_id = $1)
        ORDER BY c.position
        """

    /// Every verdict, with the judging model's label and role; the judge's text only when `$3`.
    static let verdicts = """
        SELECT v.response_id, v.kind, v.value, v.label, CASE WHEN $3::boolean THEN v.judge_text ELSE '' END AS judge_text,
               m.name AS judge, m.role, jm.role AS job_role
        FROM verdicts v JOIN jobs j ON j.id = v.job_id JOIN models m ON m.id = v.judge_model_id JOIN models jm ON jm.id = j.model_id
        WHERE j.sweep_id = $1 AND ($2::bigint IS NULL OR j.case_id = $2)
        ORDER BY v.response_id, m.id, v.kind DESC
        """

    /// Responses some judge job still has to grade.
    static let awaitingJudges = """
        SELECT DISTINCT j.response_id
        FROM jobs j
        WHERE j.sweep_id = $1 AND j.response_id IS NOT NULL AND j.state IN (\(JobSQL.unfinishedStates))
          AND ($2::bigint IS NULL OR j.case_id = $2)
        """

    /// The human labels on the sweep's responses.
    static let labels = """
        SELECT h.response_id, h.reviewer, h.safe, h.effectiveness,
               to_char(h.labelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS labelled_at
        FROM human_labels h JOIN responses r ON r.id = h.response_id JOIN jobs j ON j.id = r.job_id
        WHERE j.sweep_id = $1 AND ($2::bigint IS NULL OR j.case_id = $2)
        ORDER BY h.response_id, h.reviewer
        """
}
