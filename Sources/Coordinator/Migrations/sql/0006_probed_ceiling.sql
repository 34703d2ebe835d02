-- The probe's ceiling (docs/architecture.md, "Rate limits"): on an endpoint
-- whose limit nobody configured or stated, each push-back leaves the rate
-- just below the rate that was refused, and the climb stops there.
ALTER TABLE rate_buckets ADD COLUMN probed_rpm double precision CHECK (probed_rpm > 0);
