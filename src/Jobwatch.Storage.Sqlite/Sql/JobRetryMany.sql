-- Static SQL: every filter is optional through "@p IS NULL OR …". The filters are checked inside
-- ix_jobs_failed, which covers them and holds failed jobs only: the dead-letter queue, not history
-- (INDEXED BY, so no plan can fall back to scanning every job).
UPDATE jobs
SET state = 1,
    attempt = 0,
    stalled_count = 0,
    run_at = @now,
    finished_at = NULL,
    worker_id = NULL,
    lease_until = NULL
WHERE id IN (
    SELECT id
    FROM jobs INDEXED BY ix_jobs_failed
    WHERE state = 5
      AND is_external = 0
      AND (@queue IS NULL OR queue = @queue)
      AND (@name IS NULL OR name = @name)
      AND (@status_code IS NULL OR status_code = @status_code)
      AND (@failed_after IS NULL OR finished_at >= @failed_after)
      AND (@failed_before IS NULL OR finished_at < @failed_before)
    ORDER BY finished_at, id
    LIMIT @limit)
RETURNING id;
