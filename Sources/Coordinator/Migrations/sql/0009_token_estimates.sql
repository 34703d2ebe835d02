-- Token estimates (docs/protocol.md, "Token estimates"): each image's pixel
-- size, read from its header when a dataset is imported, and each job's
-- expected tokens (text, image and the output it asks for), stored when the
-- job is created. Images stored before this migration keep NULL sizes
-- (their estimates assume 1024 x 1024); jobs created before it, and judge
-- jobs, whose prompt holds a response not yet written, keep a NULL estimate.
ALTER TABLE images
    ADD COLUMN width integer CHECK (width > 0),
    ADD COLUMN height integer CHECK (height > 0);
ALTER TABLE jobs ADD COLUMN estimated_tokens integer CHECK (estimated_tokens >= 0);
