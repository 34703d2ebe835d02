-- Human labels (docs/protocol.md, "Human review"): one row per reviewer and
-- response, changeable; a metric left NULL is not labelled. Reviewers are
-- named by the label's writer (the reviewer token is shared by a team).
CREATE TABLE human_labels (
    response_id    bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    reviewer       text NOT NULL CHECK (reviewer ~ '^[A-Za-z0-9._@-]{1,64}$'),
    safe           boolean,
    effectiveness  text CHECK (effectiveness IN ('very', 'partially', 'ineffective')),
    labelled_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (response_id, reviewer),
    CHECK (safe IS NOT NULL OR effectiveness IS NOT NULL)
);
