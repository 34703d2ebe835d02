-- The rate tokens one lease request took, per model, between the three
-- transactions of its round trip (docs/architecture.md, "Lease"):
-- the token take writes the grant, the claim records how many jobs it
-- claimed against it, and the give-back returns the rest to the buckets and
-- deletes the rows. Unlogged: the rows live for one round trip, and a server
-- crash that empties the table loses only tokens, which refill. Rows a
-- broken round trip left behind are deleted by the rescuer.
CREATE UNLOGGED TABLE lease_grants (
    request_id uuid NOT NULL,
    model_id bigint NOT NULL,
    bucket_id bigint NOT NULL,
    jobs integer NOT NULL CHECK (jobs > 0),
    claimed integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, model_id)
);
