-- A second judge (docs/protocol.md, "Two judges"): it grades every gradable
-- response beside the judge, and its verdicts never change the score. Its
-- judge jobs sit beside the judge's, so a response has one job per kind and
-- judging model.
ALTER TABLE models DROP CONSTRAINT models_role_check;
ALTER TABLE models ADD CONSTRAINT models_role_check
    CHECK (role IN ('target', 'judge', 'fallback_judge', 'second_judge'));
DROP INDEX jobs_one_judge_per_response;
CREATE UNIQUE INDEX jobs_one_judge_per_response ON jobs (response_id, kind, model_id)
    WHERE response_id IS NOT NULL;
