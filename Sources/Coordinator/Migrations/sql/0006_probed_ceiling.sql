-- The probe's ceiling (docs/architecture.md, "Rate limits"): on an endpoint
-- whose limit nobody configured or stated, each push-back caps the climb a
-- little below the rate that was refused (`AdaptiveRate.throttled`).
ALTER TABLE rate_buckets ADD COLUMN probed_rpm double precision CHECK (probed_rpm > 0);
