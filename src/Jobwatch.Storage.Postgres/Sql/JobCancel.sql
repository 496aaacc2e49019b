-- worker_id is kept so the record still shows who was running it; the lease is dropped, so that
-- worker's next renewal (and its finish) no longer matches. As in JobRetry.sql, the second branch
-- returns the unchanged row when the guard refuses.
WITH cancelled AS (
    UPDATE jobs
    SET state = 6,
        finished_at = @now,
        lease_until = NULL
    WHERE id = @id
      AND state IN (1, 2, 3)
    RETURNING *
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, worker_id, message)
    SELECT id, @now, 'cancelled', 6, attempt, worker_id, @message
    FROM cancelled
)
SELECT c.*, true AS done FROM cancelled AS c
UNION ALL
SELECT j.*, false FROM jobs AS j WHERE j.id = @id AND NOT EXISTS (SELECT 1 FROM cancelled);
