-- last_error and the status code stay until the next run overwrites them, so the operator still
-- sees why it failed. External runs cannot be re-run: nothing here executes them.
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
  AND is_external = 0
RETURNING *;
