/// Every statement on `batch_lines`: the one home of that table's SQL
/// (docs/architecture.md, "Batch mode").
///
/// A line is `pending` (waiting for a batch), `submitted` (in a batch, sent
/// or about to be), `answered` (the batch gave a reply, waiting for the job's
/// next lease to decode it), `unanswered` (the batch ended without answering
/// it) or `consumed` (a lease used the reply, or the job no longer needs it).
///
/// A statement that looks lines up by a batch of jobs (a lease's or a result's) finds them by `job_id` alone and
/// tests their state after (an aggregate's `FILTER` or `HAVING`, a `MATERIALIZED` CTE):
/// a state test the planner can push into the scan lets it read every open
/// line through `batch_lines_open` for each job whenever the statistics
/// were taken while few lines were open, as they are when a sweep's first
/// batch goes out (`BatchLinePlanTests`).
enum BatchLineSQL {
    /// A deferral's lines ($2… arrays) for job $1, sized for the cap by its
    /// case image and prompt. A request already open (pending, in a batch or
    /// answered) is not written again: the job waits for that one.
    static let insert = """
        INSERT INTO batch_lines (job_id, model_id, custom_id, first_sample, sample_count, prompt, temperature, max_tokens, estimated_bytes)
        SELECT j.id, j.model_id, d.custom_id, d.first_sample, d.sample_count, d.prompt, d.temperature, d.max_tokens,
               1024 + i.byte_size * 4 / 3 + octet_length(d.prompt)
        FROM jobs j
        JOIN cases c ON c.id = j.case_id
        JOIN images i ON i.sha256 = c.image_sha256
        CROSS JOIN unnest($2::text[], $3::integer[], $4::integer[], $5::text[], $6::float8[], $7::integer[])
             AS d(custom_id, first_sample, sample_count, prompt, temperature, max_tokens)
        WHERE j.id = $1
        ON CONFLICT (custom_id) WHERE state IN ('pending', 'submitted', 'answered') DO NOTHING
        """

    /// Replies of jobs $1 that a lease has now used (or outlived): consumed.
    static let consumeAnswered = consuming(jobsLines: "answered")

    /// Pending lines of jobs $1, which no batch holds yet: dropped (their jobs left the batch lane).
    static let dropPendingOf = consuming(jobsLines: "pending")

    /// The lines of jobs $1 in `state`, consumed: found by job, the state tested after.
    private static func consuming(jobsLines state: String) -> String {
        """
        WITH lines AS MATERIALIZED (SELECT id, state FROM batch_lines WHERE job_id = ANY($1::bigint[]))
        UPDATE batch_lines l SET state = 'consumed' FROM lines WHERE l.id = lines.id AND lines.state = '\(state)'
        """
    }

    /// Pending lines of the jobs of sweep $1, which no batch holds yet: dropped (the sweep was cancelled
    /// or replaced). A whole sweep's lines, once: reading the pending ones along `batch_lines_open` is
    /// as good a plan as any here.
    static let dropPending = """
        UPDATE batch_lines SET state = 'consumed' WHERE job_id IN (SELECT id FROM jobs WHERE sweep_id = $1) AND state = 'pending'
        """

    /// Up to $2 pending lines of model $1 in order, locked, with their sizes.
    static let pickPending = """
        SELECT id, estimated_bytes FROM batch_lines WHERE model_id = $1 AND state = 'pending'
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
        """

    /// Lines $2 into batch $1.
    static let assign = """
        UPDATE batch_lines SET state = 'submitted', batch_id = $1 WHERE id = ANY($2::bigint[]) AND state = 'pending'
        """

    /// The lines of batch $1 in order, with what the submitting worker needs to rebuild each request.
    static let ofBatch = """
        SELECT l.custom_id, l.first_sample, l.sample_count, l.prompt, l.temperature, l.max_tokens, c.image_sha256, i.media_type
        FROM batch_lines l
        JOIN jobs j ON j.id = l.job_id
        JOIN cases c ON c.id = j.case_id
        JOIN images i ON i.sha256 = c.image_sha256
        WHERE l.batch_id = $1 AND l.state = 'submitted'
        ORDER BY l.id
        """

    /// Lines of batch $1 the provider did not take ($2 the custom ids it holds): back to waiting for a batch.
    static let returnUnsent = """
        UPDATE batch_lines SET state = 'pending', batch_id = NULL
        WHERE batch_id = $1 AND state = 'submitted' AND NOT (custom_id = ANY($2::text[]))
        """

    /// Replies for lines of batch $1 ($2 custom ids, $3 statuses, $4 bodies); a line answered already keeps its first reply.
    static let answer = """
        UPDATE batch_lines l SET state = 'answered', reply_status = r.status, reply_body = r.body, answered_at = now()
        FROM unnest($2::text[], $3::integer[], $4::text[]) AS r(custom_id, status, body)
        WHERE l.batch_id = $1 AND l.custom_id = r.custom_id AND l.state = 'submitted'
        """

    /// Lines of batch $1 ($2 custom ids) its results say the provider never answered (expired,
    /// cancelled, or in a batch that failed whole): unanswered.
    static let markUnanswered = """
        UPDATE batch_lines SET state = 'unanswered' WHERE batch_id = $1 AND custom_id = ANY($2::text[]) AND state = 'submitted'
        """

    /// Lines of batch $1 still out when it closes (never answered, or missing from its results): unanswered.
    static let closeUnanswered = """
        UPDATE batch_lines SET state = 'unanswered' WHERE batch_id = $1 AND state = 'submitted'
        """
}
