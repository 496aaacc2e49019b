UPDATE jobs
SET state = 5,
    stalled_count = stalled_count + 1,
    finished_at = @now,
    status_code = @status_code,
    status_label = @status_label,
    last_error = @error,
    last_error_stack = NULL,
    worker_id = NULL,
    lease_until = NULL
WHERE id = @id
  AND state = 3
  AND lease_until < @now
RETURNING *;
