-- Guarded by (id, state active, worker, attempt): a job that changed hands (cancelled, rescued,
-- deleted) matches nothing. Progress parameters are NULL when the outcome carries no final
-- progress, and then the stored progress stays.
UPDATE jobs
SET state = 5,
    finished_at = @at,
    status_code = @status_code,
    status_label = @status_label,
    last_error = @error,
    last_error_stack = @error_stack,
    lease_until = NULL,
    worker_id = NULL,
    total_items = coalesce(@total_items, total_items),
    items_succeeded = coalesce(@items_succeeded, items_succeeded),
    items_failed = coalesce(@items_failed, items_failed),
    reported_percent = coalesce(@reported_percent, reported_percent),
    custom_progress = coalesce(@custom_progress, custom_progress),
    updated_by = coalesce(@updated_by, updated_by),
    progress_at = coalesce(@progress_at, progress_at)
WHERE id = @id
  AND state = 3
  AND worker_id = @worker_id
  AND attempt = @attempt;
