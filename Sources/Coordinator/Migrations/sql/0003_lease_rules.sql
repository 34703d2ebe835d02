-- The lease path's rules as SQL functions, so each is written once and every
-- statement that needs it calls it (simple SQL functions are inlined by the
-- planner: no cost per call). `TokenBucket` and `LockedBucket` in Swift grant
-- permits by the same arithmetic; RateBucketRulesTests checks that both
-- agree on a table of cases.

-- A request bucket's capacity: the configured burst, or one second's worth
-- of the current rate (never below one request).
CREATE FUNCTION siuo_bucket_capacity(burst double precision, rate_per_minute double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT COALESCE(burst, GREATEST(1, rate_per_minute / 60)) $$;

-- A tpm bucket's capacity: ten seconds of the tpm, and never less than one
-- request's estimate.
CREATE FUNCTION siuo_tpm_capacity(tpm double precision, tokens_per_request double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT GREATEST(tpm / 6, tokens_per_request) $$;

-- The tokens a bucket holds at `at`: what it held at `refilled_at`, plus the
-- refill for the time since, capped at its capacity.
CREATE FUNCTION siuo_bucket_refill(tokens double precision, refilled_at timestamptz, rate_per_minute double precision,
                                   capacity double precision, at timestamptz)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT LEAST(capacity, tokens + GREATEST(0, EXTRACT(EPOCH FROM at - refilled_at)::double precision) * rate_per_minute / 60) $$;

-- The retry-or-fail rule: a job whose lease ended in a failed attempt goes
-- back to the queue, or fails for good once `attempts` (counted after this
-- lease) reaches `max_attempts`.
CREATE FUNCTION siuo_state_after_attempt(attempts integer, max_attempts integer)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END $$;
