-- Picking and leasing happen in one statement inside the writer's BEGIN IMMEDIATE transaction, so
-- no other connection (or process) can pick the same rows between the two: no (id, attempt) is
-- ever handed out twice. The inner SELECT walks ix_jobs_fetch in hand-out order.
UPDATE jobs
SET state = 3,
    attempt = attempt + 1,
    started_at = @now,
    worker_id = @worker_id,
    lease_until = @lease_until
WHERE id IN (
    SELECT id
    FROM jobs
    WHERE queue = @queue
      AND state IN (1, 2)
      -- A waiting job is ready whatever this caller's clock says (its own may run behind the
      -- producer's); only a delayed one waits for run_at.
      AND (state = 1 OR run_at <= @now)
      AND NOT EXISTS (SELECT 1 FROM queues WHERE name = @queue AND paused = 1)
    ORDER BY priority DESC, run_at, id
    LIMIT @max)
RETURNING *;
