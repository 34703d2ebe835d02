/// Statements on a whole sweep's jobs: creating them when a sweep is
/// submitted (or resubmitted), and the steering commands' transitions.
extension JobSQL {
    /// The jobs of a submitted (or resubmitted) sweep $1, as parallel arrays: $4 model names, $5
    /// kinds, $6 case ids and $7 estimated tokens (`TokenEstimate`, computed in Swift), one entry per
    /// target model × kind × case the sweep takes (`DatasetSQL.jobCases`, the one statement that
    /// picks them: the category filter and a limit to the first N in dataset order); $2 samples
    /// for generate jobs, $3 `max_attempts`. Existing jobs are kept, so a resubmission adds only
    /// what is missing, and a limit never removes jobs. Ids follow the dataset's order.
    static let create = """
        INSERT INTO jobs (sweep_id, kind, model_id, subject_model_id, case_id, samples, max_attempts, lane, estimated_tokens)
        SELECT $1, e.kind, m.id, m.id, c.id, CASE e.kind WHEN 'generate' THEN $2 ELSE 1 END, $3, siuo_lane(m.settings), e.tokens
        FROM unnest($4::text[], $5::text[], $6::bigint[], $7::integer[]) AS e(model, kind, case_id, tokens)
        JOIN models m ON m.sweep_id = $1 AND m.role = \(ModelRole.target.sql) AND m.name = e.model
        JOIN cases c ON c.id = e.case_id
        ORDER BY c.position, m.id, e.kind
        ON CONFLICT (sweep_id, subject_model_id, case_id, kind) WHERE response_id IS NULL DO NOTHING
        """

    /// Sweep $1's `max_attempts` (operational) set to $2 on its unfinished jobs that hold another;
    /// none when it did not change (the usual resubmit, to change a rate), so no leased job is locked.
    /// Rows are locked in id order, as a result batch's fence locks them.
    static let updateMaxAttempts = """
        UPDATE jobs SET max_attempts = $2
        WHERE id IN (SELECT id FROM jobs WHERE sweep_id = $1 AND state IN (\(unfinishedStates)) AND max_attempts <> $2
                     ORDER BY id FOR UPDATE)
        """

    /// `batch` is operational: on resubmit, queued jobs move to the lane their model's settings now give.
    /// (Jobs waiting for a batch that will no longer form move with `sweepLeavesBatchLane`.)
    static let updateLanes = """
        UPDATE jobs j SET lane = siuo_lane(m.settings)
        FROM models m
        WHERE j.sweep_id = $1 AND j.state = 'queued' AND m.id = j.model_id AND j.lane <> siuo_lane(m.settings)
        """

    /// Sweep $1's jobs that wait for a batch of a model no longer in the batch lane: back to the queue,
    /// live (`leavingBatchLane`).
    static let sweepLeavesBatchLane = leavingBatchLane("j.sweep_id = $1")

    /// Jobs $1 (just deferred) when their model is no longer in the batch lane: back to the queue, live
    /// (`leavingBatchLane`).
    static let jobsLeaveBatchLane = leavingBatchLane("j.id = ANY($1::bigint[])")

    /// The jobs of `jobs` (a condition on `j`) that wait for a batch (`batched`) while their model is no
    /// longer in the batch lane (a resubmit turned `batch` off: no batch forms from its lines again), none
    /// of whose lines is in a batch yet: back to the queue in the live lane, ahead of new work; answers
    /// their ids, whose pending lines the caller drops (`BatchLineSQL.dropPendingOf`). A job with a line in
    /// a batch comes back when that batch closes (`releaseBatched`), in its model's lane.
    private static func leavingBatchLane(_ jobs: String) -> String {
        """
        UPDATE jobs j SET state = 'queued', lane = 'live', priority = GREATEST(j.priority, 2), not_before = now()
        FROM models m
        WHERE \(jobs) AND j.state = 'batched' AND m.id = j.model_id AND siuo_lane(m.settings) = 'live'
          -- By job alone, the state tested after (see BatchLineSQL).
          AND (SELECT bool_or(l.state = 'submitted') FROM batch_lines l WHERE l.job_id = j.id) IS NOT TRUE
        RETURNING j.id
        """
    }

    /// Sweep $1 cancelled: its unfinished jobs end as cancelled, their leases void. Rows are
    /// locked in id order, as a result batch's fence locks them: a cancel while results arrive
    /// would otherwise deadlock with them.
    static let cancelUnfinished = """
        UPDATE jobs SET state = 'cancelled', lease_token = NULL, lease_expires_at = NULL, leased_by = NULL,
               finished_at = now()
        WHERE id IN (SELECT id FROM jobs WHERE sweep_id = $1 AND state IN (\(unfinishedStates)) ORDER BY id FOR UPDATE)
          AND state IN (\(unfinishedStates))
        """

    /// Sweep $1 resumed: its cancelled jobs are queued again, due now.
    static let requeueCancelled = """
        UPDATE jobs SET state = 'queued', finished_at = NULL, not_before = now() WHERE sweep_id = $1 AND state = 'cancelled'
        """

    /// `siuo sweep retry-failed`: the failed jobs of sweep $1 are queued again with their attempts reset.
    static let retryFailed = """
        UPDATE jobs SET state = 'queued', attempts = 0, finished_at = NULL, not_before = now() WHERE sweep_id = $1 AND state = 'failed'
        """
}
