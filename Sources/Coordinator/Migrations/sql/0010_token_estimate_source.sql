-- Where a bucket's tokens-per-request figure comes from (docs/protocol.md,
-- "Token estimates"): the column default until anything better is known,
-- the mean estimate of the requests its sweeps' jobs will send (set at
-- submit), or the usage providers reported (the settlement after results),
-- which no later estimate overrides.
ALTER TABLE rate_buckets
    ADD COLUMN tokens_per_request_source text NOT NULL DEFAULT 'default'
        CHECK (tokens_per_request_source IN ('default', 'estimate', 'usage'));
