-- Failed or cancelled → waiting with a fresh round. last_error and the status code stay until the
-- next run overwrites them, so the operator still sees why it failed. External runs cannot be
-- re-run: nothing here executes them. When the guard refuses, the second branch returns the row as
-- it is (the statement's snapshot), so the caller can tell "not found" from "not allowed" without
-- another round trip.
WITH retried AS (
    UPDATE jobs
    SET state = 1,
        attempt = 0,
        stalled_count = 0,
        run_at = @now,
        finished_at = NULL,
        worker_id = NULL,
        lease_until = NULL
    WHERE id = @id
      AND state IN (5, 6)
      AND NOT is_external
    RETURNING *
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, message)
    SELECT id, @now, 'retried', 1, attempt, @message
    FROM retried
),
woken AS MATERIALIZED (
    SELECT pg_notify(@channel, queue) FROM retried
)
SELECT r.*, true AS done, (SELECT count(*) FROM woken) AS woken FROM retried AS r
UNION ALL
SELECT j.*, false, 0 FROM jobs AS j WHERE j.id = @id AND NOT EXISTS (SELECT 1 FROM retried);
