-- Limits learned from providers (docs/architecture.md, "Rate limits"): what
-- an endpoint's response headers state, beside what the sweep configured.
-- `tpm` stays the token rate in force; `configured_tpm` is the sweep's.
ALTER TABLE rate_buckets
    ADD COLUMN configured_tpm double precision CHECK (configured_tpm > 0),
    ADD COLUMN learned_rpm double precision CHECK (learned_rpm > 0),
    ADD COLUMN learned_tpm double precision CHECK (learned_tpm > 0),
    ADD COLUMN learned_at timestamptz;
UPDATE rate_buckets SET configured_tpm = tpm;

-- The share of a stated limit the coordinator uses: a small margin below it,
-- for clocks, network jitter and requests already in flight.
CREATE FUNCTION siuo_learned_rate(stated double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT stated * 0.95 $$;

-- The most an endpoint's rate may be: the configured rate and the learned
-- one (a little below the stated limit), whichever is lower; NULL when
-- neither is known and the rate is probed.
CREATE FUNCTION siuo_rate_ceiling(configured double precision, learned double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN configured IS NULL AND learned IS NULL THEN NULL
                  ELSE LEAST(COALESCE(configured, 'Infinity'::float8), COALESCE(siuo_learned_rate(learned), 'Infinity'::float8)) END $$;

-- Where an endpoint's rate comes from, for the live view and /metrics.
CREATE FUNCTION siuo_limit_source(configured double precision, learned double precision)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN learned IS NOT NULL AND (configured IS NULL OR siuo_learned_rate(learned) < configured) THEN 'headers'
                  WHEN configured IS NOT NULL THEN 'configured' ELSE 'probed' END $$;
