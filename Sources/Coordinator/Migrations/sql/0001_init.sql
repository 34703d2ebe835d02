-- Schema v1: datasets and their cases, images by content hash, sweeps, the
-- job queue with leases, responses, verdicts, rate buckets and workers.

-- One row per import. Re-importing a name with --replace retires the old
-- row instead of deleting it, so sweeps that ran on it keep their cases.
CREATE TABLE datasets (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    content_sha256  text NOT NULL CHECK (length(content_sha256) = 64),
    case_count      integer NOT NULL CHECK (case_count >= 0),
    category_count  integer NOT NULL CHECK (category_count >= 0),
    image_count     integer NOT NULL CHECK (image_count >= 0),
    has_mcqa        boolean NOT NULL,
    imported_at     timestamptz NOT NULL DEFAULT now(),
    retired_at      timestamptz
);
CREATE UNIQUE INDEX datasets_current_name ON datasets (name) WHERE retired_at IS NULL;

-- Images are stored once, whatever number of datasets use them.
CREATE TABLE images (
    sha256      text PRIMARY KEY CHECK (length(sha256) = 64),
    media_type  text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    byte_size   integer NOT NULL CHECK (byte_size > 0),
    bytes       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Image formats are compressed already: skip TOAST's compression attempt.
ALTER TABLE images ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE TABLE cases (
    id                bigserial PRIMARY KEY,
    dataset_id        bigint NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    question_id       text NOT NULL,
    position          integer NOT NULL,
    category          text NOT NULL,
    question          text NOT NULL,
    image_name        text NOT NULL,
    image_sha256      text NOT NULL REFERENCES images (sha256),
    safety_warning    text NOT NULL,
    reference_answer  text NOT NULL,
    -- The items exactly as the files had them (extra fields included), for export.
    generation_item   jsonb NOT NULL,
    mcqa_item         jsonb,
    UNIQUE (dataset_id, question_id)
);
CREATE INDEX cases_dataset_category ON cases (dataset_id, category);

-- A sweep's definition is kept whole; `identity_sha256` records the hash of
-- its identity when it was first submitted (a resubmission resumes or is
-- refused by comparing definitions, not hashes). A replaced sweep keeps its
-- results.
CREATE TABLE sweeps (
    id               bigserial PRIMARY KEY,
    name             text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    dataset_id       bigint NOT NULL REFERENCES datasets (id),
    state            text NOT NULL DEFAULT 'running'
                     CHECK (state IN ('running', 'paused', 'cancelled', 'replaced')),
    definition       jsonb NOT NULL,
    identity_sha256  text NOT NULL,
    seed             bigint NOT NULL,
    -- Operational fields, kept as columns for the lease path; they may
    -- change on resubmit (docs/architecture.md, "Sweep files and identity").
    lease_ttl_s      integer NOT NULL CHECK (lease_ttl_s > 0),
    budget_usd       double precision CHECK (budget_usd > 0),
    spent_usd        double precision NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE UNIQUE INDEX sweeps_current_name ON sweeps (name) WHERE state <> 'replaced';

-- One bucket per endpoint, shared by every sweep and role that uses it (docs/architecture.md, "Rate limits").
CREATE TABLE rate_buckets (
    id                bigserial PRIMARY KEY,
    provider          text NOT NULL,
    base_url          text NOT NULL,
    model             text NOT NULL,
    configured_rpm    double precision CHECK (configured_rpm > 0),
    current_rpm       double precision NOT NULL CHECK (current_rpm > 0),
    tpm               double precision CHECK (tpm > 0),
    -- NULL: max(1, current_rpm / 60), following the adaptive rate.
    burst             double precision CHECK (burst >= 1),
    tokens            double precision NOT NULL,
    token_budget      double precision,
    max_in_flight     integer CHECK (max_in_flight > 0),
    refilled_at       timestamptz NOT NULL DEFAULT now(),
    throttled_until   timestamptz,
    last_throttled_at timestamptz,
    UNIQUE (provider, base_url, model)
);

-- The models of a sweep in their roles; judges are models too.
CREATE TABLE models (
    id              bigserial PRIMARY KEY,
    sweep_id        bigint NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    role            text NOT NULL CHECK (role IN ('target', 'judge', 'fallback_judge')),
    provider        text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'gemini', 'mock')),
    model           text NOT NULL,
    base_url        text NOT NULL,
    api_key_env     text,
    rate_bucket_id  bigint NOT NULL REFERENCES rate_buckets (id),
    settings        jsonb NOT NULL,
    UNIQUE (sweep_id, role, name)
);

CREATE TABLE workers (
    id            text PRIMARY KEY,
    hostname      text NOT NULL,
    pid           integer NOT NULL,
    version       text NOT NULL,
    endpoints     jsonb NOT NULL DEFAULT '[]',
    started_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
    id                  bigserial PRIMARY KEY,
    sweep_id            bigint NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    kind                text NOT NULL
                        CHECK (kind IN ('generate', 'mcqa', 'judge_safety', 'judge_effectiveness')),
    -- The model that is called (the judge, for judge jobs).
    model_id            bigint NOT NULL REFERENCES models (id),
    -- The target model whose work this is (itself, or the one being graded).
    subject_model_id    bigint NOT NULL REFERENCES models (id),
    case_id             bigint NOT NULL REFERENCES cases (id),
    -- For judge jobs: the response being graded.
    response_id         bigint,
    -- Responses a generate job must produce (1 for the other kinds).
    samples             integer NOT NULL DEFAULT 1 CHECK (samples > 0),
    state               text NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'leased', 'done', 'failed', 'cancelled')),
    priority            integer NOT NULL DEFAULT 0,
    attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts        integer NOT NULL CHECK (max_attempts > 0),
    not_before          timestamptz NOT NULL DEFAULT now(),
    lease_token         uuid,
    lease_expires_at    timestamptz,
    leased_by           text,
    last_error          text,
    -- Usage reported by workers, summed over every lease of the job.
    requests            integer NOT NULL DEFAULT 0,
    retries             integer NOT NULL DEFAULT 0,
    cache_hits          integer NOT NULL DEFAULT 0,
    input_tokens        bigint NOT NULL DEFAULT 0,
    output_tokens       bigint NOT NULL DEFAULT 0,
    cost_usd            double precision NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz,
    CHECK ((state = 'leased') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL))
);
-- The queue: only runnable rows are indexed, so the index stays small while
-- finished jobs pile up.
CREATE INDEX jobs_runnable ON jobs (model_id, priority DESC, id) WHERE state = 'queued';
CREATE INDEX jobs_lease_expiry ON jobs (lease_expires_at) WHERE state = 'leased';
CREATE INDEX jobs_sweep_state ON jobs (sweep_id, state);
CREATE UNIQUE INDEX jobs_one_per_case ON jobs (sweep_id, subject_model_id, case_id, kind)
    WHERE response_id IS NULL;
CREATE UNIQUE INDEX jobs_one_judge_per_response ON jobs (response_id, kind)
    WHERE response_id IS NOT NULL;
-- The queue table churns: vacuum it early and often.
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02,
                      fillfactor = 80);

CREATE TABLE responses (
    id                  bigserial PRIMARY KEY,
    job_id              bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    sample_index        integer NOT NULL CHECK (sample_index >= 0),
    outcome             text NOT NULL CHECK (outcome IN ('answer', 'refusal', 'blocked', 'truncated')),
    text                text NOT NULL,
    finish_reason       text,
    resolved_model      text,
    system_fingerprint  text,
    input_tokens        integer,
    output_tokens       integer,
    cache_key           text,
    from_cache          boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, sample_index)
);
ALTER TABLE jobs ADD CONSTRAINT jobs_response_fk FOREIGN KEY (response_id) REFERENCES responses (id);

CREATE TABLE verdicts (
    id             bigserial PRIMARY KEY,
    job_id         bigint NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
    response_id    bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('safety', 'effectiveness')),
    judge_model_id bigint NOT NULL REFERENCES models (id),
    -- 1 or 0; NULL when the judge's answer stayed unparseable or refused.
    value          smallint CHECK (value IN (0, 1)),
    label          text,
    judge_text     text NOT NULL,
    attempts       integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Answers keyed by the sha256 of the exact request, so a resumed or
-- resubmitted sweep does not pay twice.
CREATE TABLE response_cache (
    cache_key   text PRIMARY KEY CHECK (length(cache_key) = 64),
    body        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
