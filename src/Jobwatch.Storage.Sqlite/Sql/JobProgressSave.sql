-- A null means "not reported", never "clear": a later report that omits the total keeps it.
UPDATE jobs
SET total_items = COALESCE(@total_items, total_items),
    items_succeeded = @items_succeeded,
    items_failed = @items_failed,
    reported_percent = COALESCE(@reported_percent, reported_percent),
    custom_progress = COALESCE(@custom_progress, custom_progress),
    updated_by = COALESCE(@updated_by, updated_by),
    progress_at = @progress_at,
    lease_until = COALESCE(@lease_until, lease_until)
WHERE id = @id
  AND state = 3
  AND worker_id = @worker_id
  AND attempt = @attempt;
