-- tpm (docs/architecture.md, "Rate limits"): beside each endpoint's request bucket, a bucket of model
-- tokens per minute. A request is charged an estimate when it is granted; the
-- estimate is learnt from the usage workers report, and the difference is
-- settled then (the bucket may go into debt, which delays later grants).
ALTER TABLE rate_buckets
    ADD COLUMN tpm_tokens double precision NOT NULL DEFAULT 0,
    ADD COLUMN tpm_refilled_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN tokens_per_request double precision NOT NULL DEFAULT 2000 CHECK (tokens_per_request > 0),
    DROP COLUMN token_budget;
