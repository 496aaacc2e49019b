-- One statement for all jobs of a fetch; @ids is a JSON array of their ids.
INSERT INTO job_timeline (job_id, at, kind, state, attempt, worker_id)
SELECT id, @at, @kind, state, attempt, worker_id
FROM jobs
WHERE id IN (SELECT value FROM json_each(@ids))
ORDER BY id;
