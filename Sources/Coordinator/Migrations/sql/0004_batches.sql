-- Batch mode (docs/architecture.md, "Batch mode"): jobs of a batch endpoint
-- wait in a provider's batch API instead of holding a lease for hours.

-- A job's lane: `live` jobs are claimed with a rate token each; `batch`
-- jobs are claimed without one, write their calls as batch lines and wait
-- in state `batched` until the batch holding those lines is collected.
ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check
    CHECK (state IN ('queued', 'leased', 'batched', 'done', 'failed', 'cancelled'));
ALTER TABLE jobs
    ADD COLUMN lane text NOT NULL DEFAULT 'live' CHECK (lane IN ('live', 'batch')),
    ADD COLUMN batch_requests integer NOT NULL DEFAULT 0;

-- The two queues: the live one keeps its index (now live jobs only), the
-- batch one has its own, so neither claim walks the other's rows.
DROP INDEX jobs_runnable;
CREATE INDEX jobs_runnable ON jobs (model_id, priority DESC, id) WHERE state = 'queued' AND lane = 'live';
CREATE INDEX jobs_batch_runnable ON jobs (model_id, priority DESC, id) WHERE state = 'queued' AND lane = 'batch';

-- The lane a new job of a model with these settings starts in: the one home
-- of that rule (sweep submission and judge-job creation both call it).
CREATE FUNCTION siuo_lane(settings jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN jsonb_typeof(settings->'batch') = 'object' THEN 'batch' ELSE 'live' END $$;

-- One batch at a provider, for one model row. The intent (`submitting`,
-- with its `tag`) is written before anything is sent, so a crash between
-- the provider's answer and the write that records it is recovered by
-- finding the tag at the provider, not by submitting again.
CREATE TABLE batches (
    id                 bigserial PRIMARY KEY,
    model_id           bigint NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    state              text NOT NULL DEFAULT 'submitting'
                       CHECK (state IN ('submitting', 'running', 'ended', 'collected')),
    -- Sent as OpenAI `metadata`, Gemini `display_name`: how an orphan is found.
    tag                text NOT NULL UNIQUE,
    provider_batch_id  text,
    provider_state     text,
    lines_total        integer NOT NULL CHECK (lines_total >= 0),
    lines_done         integer NOT NULL DEFAULT 0,
    lines_failed       integer NOT NULL DEFAULT 0,
    -- Submissions tried; after the first, the provider is searched before any other.
    submit_attempts    integer NOT NULL DEFAULT 0,
    cancel_requested   boolean NOT NULL DEFAULT false,
    -- A worker's hold on the batch for one action (submit, poll, cancel, collect).
    lease_token        uuid,
    leased_by          text,
    lease_expires_at   timestamptz,
    next_check_at      timestamptz NOT NULL DEFAULT now(),
    deadline_at        timestamptz NOT NULL,
    last_error         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    submitted_at       timestamptz,
    ended_at           timestamptz,
    collected_at       timestamptz,
    UNIQUE (model_id, provider_batch_id)
);
CREATE INDEX batches_due ON batches (next_check_at) WHERE state <> 'collected';

-- One request of a job, waiting for a batch, in one, or answered. The
-- request is kept as its parts (the body is rebuilt by the submitting
-- worker with the live codec, so it is byte for byte the live request's).
CREATE TABLE batch_lines (
    id               bigserial PRIMARY KEY,
    job_id           bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    model_id         bigint NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    batch_id         bigint REFERENCES batches (id) ON DELETE CASCADE,
    custom_id        text NOT NULL,
    first_sample     integer NOT NULL CHECK (first_sample >= 0),
    sample_count     integer NOT NULL CHECK (sample_count > 0),
    prompt           text NOT NULL,
    temperature      double precision,
    max_tokens       integer,
    -- About what the line takes in a request file, for the size cap.
    estimated_bytes  integer NOT NULL CHECK (estimated_bytes > 0),
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'submitted', 'answered', 'unanswered', 'consumed')),
    reply_status     integer,
    reply_body       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    answered_at      timestamptz
);
-- A request is open in one place at a time: never in two batches.
CREATE UNIQUE INDEX batch_lines_open ON batch_lines (custom_id) WHERE state IN ('pending', 'submitted', 'answered');
CREATE INDEX batch_lines_pending ON batch_lines (model_id, id) WHERE state = 'pending';
CREATE INDEX batch_lines_job ON batch_lines (job_id);
CREATE INDEX batch_lines_batch ON batch_lines (batch_id, custom_id);
