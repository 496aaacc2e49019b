-- Pick, lease and record in one statement (one round trip, one short transaction). SKIP LOCKED lets
-- concurrent workers, on any node, each take different rows without waiting for one another; a row
-- another transaction leased after this snapshot fails the re-checked WHERE and is skipped, so no
-- (id, attempt) is ever handed out twice. A waiting job is taken whatever the caller's clock says;
-- only a delayed job waits for run_at. The scan walks ix_jobs_fetch in hand-out order.
WITH picked AS (
    SELECT id
    FROM jobs
    WHERE queue = @queue
      AND state IN (1, 2)
      AND (state = 1 OR run_at <= @now)
      AND NOT EXISTS (SELECT 1 FROM queues WHERE name = @queue AND paused)
    ORDER BY priority DESC, run_at, id
    LIMIT @max
    FOR UPDATE SKIP LOCKED
),
leased AS (
    UPDATE jobs AS j
    SET state = 3,
        attempt = j.attempt + 1,
        started_at = @now,
        worker_id = @worker_id,
        lease_until = @lease_until
    FROM picked
    WHERE j.id = picked.id
    RETURNING j.*
),
timeline AS (
    INSERT INTO job_timeline (job_id, at, kind, state, attempt, worker_id)
    SELECT id, @now, 'started', 3, attempt, worker_id
    FROM leased
    ORDER BY id
)
SELECT *
FROM leased
ORDER BY priority DESC, run_at, id;
