-- A job holds a lease token only while it is leased. `jobs_check` already
-- makes a leased job hold a token and an expiry; this closes the other way
-- for a token without an expiry. Fencing and heartbeats rely on it: they
-- match a lease by id and token alone and never name the state, which would
-- let the planner read every lease through `jobs_lease_expiry` whenever the
-- statistics say few jobs are leased (docs/architecture.md, "Lease").
-- Adding it reads the jobs table once, under a lock that pauses writers for
-- about a second per million jobs.
ALTER TABLE jobs ADD CONSTRAINT jobs_token_means_leased CHECK (lease_token IS NULL OR state = 'leased');
