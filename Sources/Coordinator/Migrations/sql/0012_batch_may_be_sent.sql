-- Whether a submit may have reached the provider although no outcome was
-- reported: set when the worker holding a submitting batch renews its lease,
-- which it does right before the request that creates (and pays for) the
-- batch. A worker killed after that request, before its report, leaves the
-- batch to another worker that must search for it first rather than send a
-- second, paid batch (docs/architecture.md, "Batch mode").
ALTER TABLE batches ADD COLUMN may_be_sent boolean NOT NULL DEFAULT false;
